/* derm-date-row.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-date-row"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "derm-validate.h"

#include "derm-date-row.h"

#define POPOVER_KEY "derm-date-popover"
#define LEADING_KEY "derm-date-leading"

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

char *
derm_date_row_read_leading (const char  *text,
                            const char **rest)
{
  g_autofree char *word = NULL;
  const char *start = text != NULL ? text : "";
  size_t len;

  while (*start == ' ' || *start == '\t')
    start++;
  len = strcspn (start, " \t");
  word = g_strndup (start, len);
  start += len;
  while (*start == ' ' || *start == '\t')
    start++;
  if (rest != NULL)
    *rest = start;

  return derm_date_row_read_text (word);
}

static gboolean
is_leading (GtkEditable *editable)
{
  return g_object_get_data (G_OBJECT (editable), LEADING_KEY) != NULL;
}

/* The date the field holds, ISO, or NULL */
static char *
field_date (GtkEditable *editable)
{
  const char *text = gtk_editable_get_text (editable);

  return is_leading (editable) ? derm_date_row_read_leading (text, NULL) : derm_date_row_read_text (text);
}

/* Puts @iso in the field: the whole text, or its leading date with the
 * words after it kept */
static void
field_set_date (GtkEditable *editable,
                const char  *iso)
{
  g_autofree char *text = NULL;
  const char *rest = "";

  if (is_leading (editable))
    {
      const char *current = gtk_editable_get_text (editable);
      g_autofree char *old = derm_date_row_read_leading (current, &rest);

      /* Words without a date in front are the name: the date goes before */
      if (old == NULL)
        {
          rest = current;
          while (*rest == ' ' || *rest == '\t')
            rest++;
        }
    }
  text = *rest != '\0' ? g_strconcat (iso, " ", rest, NULL) : g_strdup (iso);
  if (g_strcmp0 (text, gtk_editable_get_text (editable)) != 0)
    gtk_editable_set_text (editable, text);
}

static void
on_day_selected (GtkCalendar *calendar,
                 GtkEditable *editable)
{
  g_autoptr (GDateTime) picked = gtk_calendar_get_date (calendar);
  g_autofree char *iso = g_date_time_format (picked, "%Y-%m-%d");
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (calendar), GTK_TYPE_POPOVER);

  field_set_date (editable, iso);
  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
}

/* Opens on the date in the field, or today */
static void
on_popover_show (GtkWidget   *popover,
                 GtkEditable *editable)
{
  GtkCalendar *calendar = GTK_CALENDAR (gtk_popover_get_child (GTK_POPOVER (popover)));
  g_autofree char *iso = field_date (editable);
  g_autoptr (GDateTime) shown = NULL;
  GDate date;

  if (iso != NULL && derm_date_parse (iso, &date))
    shown = g_date_time_new_local (g_date_get_year (&date), g_date_get_month (&date), g_date_get_day (&date),
                                   12, 0, 0);
  else
    shown = g_date_time_new_now_local ();

  g_signal_handlers_block_by_func (calendar, on_day_selected, editable);
  gtk_calendar_select_day (calendar, shown);
  g_signal_handlers_unblock_by_func (calendar, on_day_selected, editable);
}

/* Left with a date typed in the locale's order: shown in ISO */
static void
on_focus_leave (GtkEventControllerFocus *controller,
                GtkEditable             *editable)
{
  g_autofree char *iso = NULL;

  if (!gtk_editable_get_editable (editable) || (iso = field_date (editable)) == NULL)
    return;
  field_set_date (editable, iso);
}

GtkWidget *
derm_date_button_new (GtkEditable *editable)
{
  GtkWidget *button;
  GtkWidget *popover;
  GtkWidget *calendar;
  GtkEventController *focus;

  g_return_val_if_fail (GTK_IS_EDITABLE (editable), NULL);

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
  /* A read-only date is not picked either */
  g_object_bind_property (editable, "editable", button, "sensitive", G_BINDING_SYNC_CREATE);
  g_object_set_data (G_OBJECT (editable), POPOVER_KEY, popover);

  g_signal_connect_object (calendar, "day-selected", G_CALLBACK (on_day_selected), editable, 0);
  g_signal_connect_object (popover, "show", G_CALLBACK (on_popover_show), editable, 0);

  focus = gtk_event_controller_focus_new ();
  g_signal_connect_object (focus, "leave", G_CALLBACK (on_focus_leave), editable, 0);
  gtk_widget_add_controller (GTK_WIDGET (editable), focus);

  return button;
}

void
derm_date_row_attach (AdwEntryRow *row)
{
  g_return_if_fail (ADW_IS_ENTRY_ROW (row));

  adw_entry_row_add_suffix (row, derm_date_button_new (GTK_EDITABLE (row)));
}

void
derm_date_row_attach_leading (AdwEntryRow *row)
{
  g_return_if_fail (ADW_IS_ENTRY_ROW (row));

  g_object_set_data (G_OBJECT (row), LEADING_KEY, GINT_TO_POINTER (TRUE));
  derm_date_row_attach (row);
}

GtkWidget *
derm_date_row_get_calendar (gpointer editable)
{
  GtkWidget *popover;

  g_return_val_if_fail (GTK_IS_EDITABLE (editable), NULL);

  popover = g_object_get_data (G_OBJECT (editable), POPOVER_KEY);
  return popover != NULL ? gtk_popover_get_child (GTK_POPOVER (popover)) : NULL;
}
