/* derm-date-row.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A date entry with a calendar: a button opens a calendar to pick the
 * day; a date typed in the locale's order ("01/06/1990") becomes ISO
 * when the field is left. ISO is what the forms validate and store.
 * Works on an AdwEntryRow (the button at its end) or on any other
 * editable (the button placed by the caller beside it).
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Adds the calendar button to @row and the locale-order reading of what
 * is typed. */
void       derm_date_row_attach         (AdwEntryRow *row);
/* The same for a row whose text is a date then more words ("2026-12-25
 * Christmas"): the calendar sets, and leaving the row rewrites, only the
 * leading date. */
void       derm_date_row_attach_leading (AdwEntryRow *row);
/* The calendar button for @editable, to place beside it; adds the
 * locale-order reading of what is typed. */
GtkWidget *derm_date_button_new         (GtkEditable *editable);
/* "YYYY-MM-DD" for @text in ISO or in the locale's order; NULL when it
 * is no date. Newly allocated. */
char      *derm_date_row_read_text      (const char  *text);
/* "YYYY-MM-DD" for the date that starts @text (before the first space
 * or tab), NULL when there is none; *@rest (may be NULL) points at what
 * follows, without leading blanks. */
char      *derm_date_row_read_leading   (const char  *text,
                                         const char **rest);
/* The calendar popover's calendar of an editable set up here */
GtkWidget *derm_date_row_get_calendar   (gpointer     editable);

G_END_DECLS
