class ReadOnlyAdminMixin:
    """For records that code writes and staff only consult (the audit log, the seed records):
    no add, change or delete in the admin, not even for superusers."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
