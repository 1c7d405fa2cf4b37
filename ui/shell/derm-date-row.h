/* derm-date-row.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A date entry row with a calendar: the button at its end opens a
 * calendar to pick the day; a date typed in the locale's order
 * ("01/06/1990") becomes ISO when the row is left. ISO is what the
 * forms validate and store.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Adds the calendar button to @row and the locale-order reading of what
 * is typed. */
void  derm_date_row_attach     (AdwEntryRow *row);
/* "YYYY-MM-DD" for @text in ISO or in the locale's order; NULL when it
 * is no date. Newly allocated. */
char *derm_date_row_read_text  (const char  *text);
/* The row's calendar popover, opened from its button */
GtkWidget *derm_date_row_get_calendar (AdwEntryRow *row);

G_END_DECLS
