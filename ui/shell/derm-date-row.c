/* derm-date-row.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-date-row"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-validate.h"

#include "derm-date-row.h"

char *
derm_date_row_read_text (const char *text)
{
  g_autofree char *trimmed = NULL;
  GDate date;

  if (text == NULL)
    return NULL;
  trimmed = g_strstrip (g_strdup (text));
  if (*trimmed == '\0')
    return NULL;
  if (derm_date_parse (trimmed, &date))
    return derm_date_format (&date);

  /* The order people type in this locale: 01/06/1990, 1.6.1990 */
  g_date_clear (&date, 1);
  g_date_set_parse (&date, trimmed);
  if (!g_date_valid (&date))
    return NULL;
  return derm_date_format (&date);
}

static void
on_day_selected (GtkCalendar *calendar,
                 AdwEntryRow *row)
{
  g_autoptr (GDateTime) picked = gtk_calendar_get_date (calendar);
  g_autofree char *iso = g_date_time_format (picked, "%Y-%m-%d");
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (calendar), GTK_TYPE_POPOVER);

  gtk_editable_set_text (GTK_EDITABLE (row), iso);
  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
}

/* Opens on the date in the row, or today */
static void
on_popover_show (GtkWidget   *popover,
                 AdwEntryRow *row)
{
  GtkCalendar *calendar = GTK_CALENDAR (gtk_popover_get_child (GTK_POPOVER (popover)));
  g_autofree char *iso = derm_date_row_read_text (gtk_editable_get_text (GTK_EDITABLE (row)));
  g_autoptr (GDateTime) shown = NULL;
  GDate date;

  if (iso != NULL && derm_date_parse (iso, &date))
    shown = g_date_time_new_local (g_date_get_year (&date), g_date_get_month (&date), g_date_get_day (&date),
                                   12, 0, 0);
  else
    shown = g_date_time_new_now_local ();

  g_signal_handlers_block_by_func (calendar, on_day_selected, row);
  gtk_calendar_select_day (calendar, shown);
  g_signal_handlers_unblock_by_func (calendar, on_day_selected, row);
}

/* Left with a date typed in the locale's order: shown in ISO */
static void
on_focus_leave (GtkEventControllerFocus *controller,
                AdwEntryRow             *row)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  g_autofree char *iso = derm_date_row_read_text (text);
  g_autofree char *trimmed = g_strstrip (g_strdup (text));

  if (gtk_editable_get_editable (GTK_EDITABLE (row)) && iso != NULL && g_strcmp0 (iso, trimmed) != 0)
    gtk_editable_set_text (GTK_EDITABLE (row), iso);
}

void
derm_date_row_attach (AdwEntryRow *row)
{
  GtkWidget *button;
  GtkWidget *popover;
  GtkWidget *calendar;
  GtkEventController *focus;

  g_return_if_fail (ADW_IS_ENTRY_ROW (row));

  calendar = gtk_calendar_new ();
  popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (popover), calendar);
  button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "x-office-calendar-symbolic");
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Pick a Date"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Pick a Date"), -1);
  adw_entry_row_add_suffix (row, button);
  /* A read-only date is not picked either */
  g_object_bind_property (row, "editable", button, "sensitive", G_BINDING_SYNC_CREATE);
  g_object_set_data (G_OBJECT (row), "derm-date-popover", popover);

  g_signal_connect_object (calendar, "day-selected", G_CALLBACK (on_day_selected), row, 0);
  g_signal_connect_object (popover, "show", G_CALLBACK (on_popover_show), row, 0);

  focus = gtk_event_controller_focus_new ();
  g_signal_connect_object (focus, "leave", G_CALLBACK (on_focus_leave), row, 0);
  gtk_widget_add_controller (GTK_WIDGET (row), focus);
}

GtkWidget *
derm_date_row_get_calendar (AdwEntryRow *row)
{
  GtkWidget *popover;

  g_return_val_if_fail (ADW_IS_ENTRY_ROW (row), NULL);

  popover = g_object_get_data (G_OBJECT (row), "derm-date-popover");
  return popover != NULL ? gtk_popover_get_child (GTK_POPOVER (popover)) : NULL;
}
