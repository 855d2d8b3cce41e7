""" "La mobilité en chiffres": the mobilities counted per academic year (`figures`), their
small counts hidden for the public (`suppression`), drawn as SVG bar charts (`charts`)."""
