/* derm-client-row.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-client-row"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-client.h"
#include "derm-client-row.h"
#include "derm-validate.h"

struct _DermClientRow
{
  GtkWidget   parent_instance;

  DermClient *client;

  /* Bound so gtk_widget_dispose_template() unparents it */
  GtkWidget  *box;
  GtkLabel   *name_label;
  GtkLabel   *subtitle_label;
  GtkWidget  *archived_label;
  GtkWidget  *do_not_treat_label;
};

G_DEFINE_FINAL_TYPE (DermClientRow, derm_client_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
format_date (const char *iso_date)
{
  return derm_date_format_display (iso_date, FALSE);
}

/* A date or a phone number never breaks across lines: its spaces become
 * no-break spaces (the line breaks at " · " instead) */
static char *
keep_together (const char *text)
{
  g_autoptr (GString) kept = g_string_new (text);

  g_string_replace (kept, " ", "\u00a0", 0);
  return g_string_free (g_steal_pointer (&kept), FALSE);
}

char *
derm_client_row_format_subtitle (DermClient *client)
{
  g_autofree char *date = NULL;
  g_autofree char *visit = NULL;
  g_autofree char *born = NULL;
  const char *phone;

  g_return_val_if_fail (DERM_IS_CLIENT (client), NULL);

  date = format_date (derm_client_get_last_visit (client));
  if (date != NULL)
    {
      g_autofree char *kept = keep_together (date);

      g_free (date);
      date = g_steal_pointer (&kept);
    }
  if (date != NULL)
    /* Translators: %s is a date like "12 Mar 2026" */
    visit = g_strdup_printf (_("Last visit %s"), date);
  else
    visit = g_strdup (_("No visits yet"));

  /* Born first: it tells apart clients of the same name */
  born = format_date (derm_client_get_date_of_birth (client));
  if (born != NULL)
    {
      g_autofree char *kept = keep_together (born);

      g_free (born);
      born = g_steal_pointer (&kept);
    }
  if (born != NULL)
    {
      /* Translators: %s is the date of birth, like "21 Jun 1988", then the last visit */
      g_autofree char *with_birth = g_strdup_printf (_("Born %s · %s"), born, visit);

      g_free (visit);
      visit = g_steal_pointer (&with_birth);
    }

  phone = derm_client_get_phone (client);
  if (phone != NULL && *phone != '\0')
    {
      g_autofree char *kept = keep_together (phone);

      /* Translators: the last visit, then the phone number */
      return g_strdup_printf (_("%s · %s"), visit, kept);
    }

  return g_steal_pointer (&visit);
}

static void
derm_client_row_update (DermClientRow *self)
{
  g_autofree char *subtitle = NULL;
  const char *name = NULL;

  if (self->client == NULL)
    {
      gtk_label_set_label (self->name_label, NULL);
      gtk_label_set_label (self->subtitle_label, NULL);
      gtk_widget_set_visible (self->archived_label, FALSE);
      gtk_widget_set_visible (self->do_not_treat_label, FALSE);
      return;
    }

  name = derm_client_get_name (self->client);
  gtk_label_set_label (self->name_label,
                       name != NULL && *name != '\0' ? name : _("Unnamed client"));

  subtitle = derm_client_row_format_subtitle (self->client);
  gtk_label_set_label (self->subtitle_label, subtitle);

  gtk_widget_set_visible (self->archived_label,
                          derm_client_get_archived (self->client));
  gtk_widget_set_visible (self->do_not_treat_label,
                          derm_client_get_do_not_treat (self->client) != NULL);
  gtk_widget_set_tooltip_text (self->do_not_treat_label, derm_client_get_do_not_treat (self->client));
}

GtkWidget *
derm_client_row_new (void)
{
  return g_object_new (DERM_TYPE_CLIENT_ROW, NULL);
}

DermClient *
derm_client_row_get_client (DermClientRow *self)
{
  g_return_val_if_fail (DERM_IS_CLIENT_ROW (self), NULL);

  return self->client;
}

void
derm_client_row_set_client (DermClientRow *self,
                            DermClient    *client)
{
  g_return_if_fail (DERM_IS_CLIENT_ROW (self));
  g_return_if_fail (client == NULL || DERM_IS_CLIENT (client));

  if (g_set_object (&self->client, client))
    {
      derm_client_row_update (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
    }
}

static void
derm_client_row_dispose (GObject *object)
{
  DermClientRow *self = (DermClientRow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), DERM_TYPE_CLIENT_ROW);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (derm_client_row_parent_class)->dispose (object);
}

static void
derm_client_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DermClientRow *self = DERM_CLIENT_ROW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_client_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  DermClientRow *self = DERM_CLIENT_ROW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      derm_client_row_set_client (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_client_row_class_init (DermClientRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = derm_client_row_dispose;
  object_class->get_property = derm_client_row_get_property;
  object_class->set_property = derm_client_row_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         DERM_TYPE_CLIENT,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/dermis/Dermis/derm-client-row.ui");
  gtk_widget_class_bind_template_child (widget_class, DermClientRow, box);
  gtk_widget_class_bind_template_child (widget_class, DermClientRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, DermClientRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, DermClientRow, archived_label);
  gtk_widget_class_bind_template_child (widget_class, DermClientRow, do_not_treat_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "dermclientrow");
}

static void
derm_client_row_init (DermClientRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
