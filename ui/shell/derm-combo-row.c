/* derm-combo-row.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-combo-row"

#include "config.h"

#include "derm-combo-row.h"

static void
setup_item (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  /* Wide enough for a Fitzpatrick description on one line */
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_list_item_set_child (item, label);
}

static void
bind_item (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           AdwComboRow              *row)
{
  GObject *object = gtk_list_item_get_item (item);
  GtkExpression *expression = adw_combo_row_get_expression (row);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_auto (GValue) value = G_VALUE_INIT;
  const char *text = NULL;

  if (expression != NULL && gtk_expression_evaluate (expression, object, &value) &&
      G_VALUE_HOLDS_STRING (&value))
    text = g_value_get_string (&value);
  else if (GTK_IS_STRING_OBJECT (object))
    text = gtk_string_object_get_string (GTK_STRING_OBJECT (object));

  gtk_label_set_text (GTK_LABEL (label), text != NULL ? text : "");
}

void
derm_combo_row_show_whole_items (AdwComboRow *row)
{
  g_autoptr (GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_return_if_fail (ADW_IS_COMBO_ROW (row));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_item), NULL);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_item), row, 0);
  adw_combo_row_set_factory (row, factory);
  adw_combo_row_set_list_factory (row, factory);
}
