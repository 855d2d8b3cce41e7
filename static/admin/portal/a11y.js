/*
 * Accessibility fixes for widgets that Django's admin builds in JavaScript (axe-core,
 * WCAG 2.1 AA). A file rather than an inline script: the Content-Security-Policy allows none.
 * Loaded with `defer`, so it runs after the admin's own scripts are defined and before they
 * set their widgets up.
 */
'use strict';
{
    let labelCount = 0;

    function labelId(label) {
        if (!label.id) {
            labelCount += 1;
            label.id = 'portal-a11y-label-' + labelCount;
        }
        return label.id;
    }

    // Autocomplete fields (select2): the combobox is named after its empty "rendered" box;
    // name it after the <select>'s own label as well.
    function nameSelect2(select) {
        const label = select.id && document.querySelector('label[for="' + select.id + '"]');
        const container = select.nextElementSibling;
        if (!label || !container || !container.classList.contains('select2')) {
            return;
        }
        const id = labelId(label);
        const combobox = container.querySelector('.select2-selection');
        const rendered = container.querySelector('.select2-selection__rendered');
        if (combobox) {
            const own = combobox.getAttribute('aria-labelledby');
            combobox.setAttribute('aria-labelledby', own ? id + ' ' + own : id);
        }
        if (rendered) {
            rendered.setAttribute('aria-labelledby', id + (rendered.id ? ' ' + rendered.id : ''));
        }
        // A multiple choice (an activity's partner institutions) types its search in a field of
        // its own, inside the box, which select2 builds without a name.
        const search = container.querySelector('.select2-search__field');
        if (search) {
            search.setAttribute('aria-labelledby', id);
        }
    }

    const jQuery = window.django && window.django.jQuery;
    if (jQuery && jQuery.fn.djangoAdminSelect2) {
        const setUp = jQuery.fn.djangoAdminSelect2;
        jQuery.fn.djangoAdminSelect2 = function() {
            const result = setUp.apply(this, arguments);
            this.each(function() { nameSelect2(this); });
            return result;
        };
    }

    // Split date and time fields: "Date :" and "Heure :" are bare text before their inputs;
    // make each a <label>, with the field's own label read first.
    function labelSplitDateTime(paragraph) {
        const row = paragraph.closest('.flex-container, td');
        const fieldLabel = row && row.querySelector('label:not([for])');
        paragraph.querySelectorAll('input[id]').forEach(function(input) {
            const text = input.previousSibling;
            if (!text || text.nodeType !== Node.TEXT_NODE || !text.textContent.trim()) {
                return;
            }
            const label = document.createElement('label');
            label.htmlFor = input.id;
            if (fieldLabel) {
                const hidden = document.createElement('span');
                hidden.className = 'visually-hidden';
                hidden.textContent = fieldLabel.textContent.replace(/\s*:\s*$/, '').trim() + ', ';
                label.appendChild(hidden);
            }
            label.appendChild(document.createTextNode(text.textContent.trim()));
            paragraph.replaceChild(label, text);
            paragraph.insertBefore(document.createTextNode(' '), input);
        });
    }

    // The filter boxes of "filter_horizontal" fields: their icon carries an aria-label that a
    // plain <span> may not have; it is an image with a text alternative.
    function fixFilterIcons() {
        document.querySelectorAll('span.search-label-icon[aria-label]:not([role])').forEach(function(icon) {
            icon.setAttribute('role', 'img');
        });
    }

    document.addEventListener('DOMContentLoaded', function() {
        document.querySelectorAll('p.datetime').forEach(labelSplitDateTime);
    });
    // SelectFilter2 builds its boxes on "load", with a listener added before this one.
    window.addEventListener('load', fixFilterIcons);
}
