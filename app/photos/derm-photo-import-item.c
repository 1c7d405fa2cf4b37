/* derm-photo-import-item.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-photos"

#include "config.h"

#include "derm-photo-import-item.h"

struct _DermPhotoImportItem
{
  GObject        parent_instance;

  GFile         *file;
  char          *name;
  char          *captured_at;
  gint64         suggested_session;
  gint64         session;
  DermPhotoView  view;
  char          *area;
};

G_DEFINE_FINAL_TYPE (DermPhotoImportItem, derm_photo_import_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_VIEW,
  PROP_AREA,
  PROP_NEEDS_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* g_set_str() is GLib 2.76 */
static gboolean
set_string (char       **slot,
            const char  *value)
{
  if (g_strcmp0 (*slot, value) == 0)
    return FALSE;
  g_free (*slot);
  *slot = g_strdup (value);
  return TRUE;
}

static void
derm_photo_import_item_finalize (GObject *object)
{
  DermPhotoImportItem *self = DERM_PHOTO_IMPORT_ITEM (object);

  g_clear_object (&self->file);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->captured_at, g_free);
  g_clear_pointer (&self->area, g_free);

  G_OBJECT_CLASS (derm_photo_import_item_parent_class)->finalize (object);
}

static void
derm_photo_import_item_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  DermPhotoImportItem *self = DERM_PHOTO_IMPORT_ITEM (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_int64 (value, self->session);
      break;
    case PROP_VIEW:
      g_value_set_uint (value, self->view);
      break;
    case PROP_AREA:
      g_value_set_string (value, self->area);
      break;
    case PROP_NEEDS_SESSION:
      g_value_set_boolean (value, derm_photo_import_item_get_needs_session (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_photo_import_item_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  DermPhotoImportItem *self = DERM_PHOTO_IMPORT_ITEM (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      derm_photo_import_item_set_session (self, g_value_get_int64 (value));
      break;
    case PROP_VIEW:
      derm_photo_import_item_set_view (self, (DermPhotoView) g_value_get_uint (value));
      break;
    case PROP_AREA:
      derm_photo_import_item_set_area (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_photo_import_item_class_init (DermPhotoImportItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = derm_photo_import_item_finalize;
  object_class->get_property = derm_photo_import_item_get_property;
  object_class->set_property = derm_photo_import_item_set_property;

  properties[PROP_SESSION] =
    g_param_spec_int64 ("session", NULL, NULL, DERM_PHOTO_SUGGEST_SESSION, G_MAXINT64,
                        DERM_PHOTO_SUGGEST_SESSION, rw);
  properties[PROP_VIEW] =
    g_param_spec_uint ("view", NULL, NULL, DERM_PHOTO_VIEW_FRONT, DERM_PHOTO_VIEW_OTHER,
                       DERM_PHOTO_VIEW_OTHER, rw);
  properties[PROP_AREA] = g_param_spec_string ("area", NULL, NULL, NULL, rw);
  properties[PROP_NEEDS_SESSION] =
    g_param_spec_boolean ("needs-session", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
derm_photo_import_item_init (DermPhotoImportItem *self)
{
  self->session = DERM_PHOTO_SUGGEST_SESSION;
  self->view = DERM_PHOTO_VIEW_OTHER;
}

DermPhotoImportItem *
derm_photo_import_item_new (GFile *file)
{
  DermPhotoImportItem *self;
  g_autoptr (GFileInfo) info = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (DERM_TYPE_PHOTO_IMPORT_ITEM, NULL);
  self->file = g_object_ref (file);
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  self->name = info != NULL ? g_strdup (g_file_info_get_display_name (info)) : g_file_get_basename (file);
  return self;
}

GFile *
derm_photo_import_item_get_file (DermPhotoImportItem *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO_IMPORT_ITEM (self), NULL);

  return self->file;
}

const char *
derm_photo_import_item_get_name (DermPhotoImportItem *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO_IMPORT_ITEM (self), NULL);

  return self->name;
}

const char *
derm_photo_import_item_get_captured_at (DermPhotoImportItem *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO_IMPORT_ITEM (self), NULL);

  return self->captured_at;
}

void
derm_photo_import_item_set_captured_at (DermPhotoImportItem *self,
                                        const char          *captured_at)
{
  g_return_if_fail (DERM_IS_PHOTO_IMPORT_ITEM (self));

  if (set_string (&self->captured_at, captured_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEEDS_SESSION]);
}

gint64
derm_photo_import_item_get_suggested_session (DermPhotoImportItem *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO_IMPORT_ITEM (self), 0);

  return self->suggested_session;
}

void
derm_photo_import_item_set_suggested_session (DermPhotoImportItem *self,
                                              gint64               treatment_id)
{
  g_return_if_fail (DERM_IS_PHOTO_IMPORT_ITEM (self));

  self->suggested_session = MAX (treatment_id, 0);
}

gint64
derm_photo_import_item_get_session (DermPhotoImportItem *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO_IMPORT_ITEM (self), 0);

  return self->session;
}

void
derm_photo_import_item_set_session (DermPhotoImportItem *self,
                                    gint64               treatment_id)
{
  g_return_if_fail (DERM_IS_PHOTO_IMPORT_ITEM (self));
  g_return_if_fail (treatment_id >= DERM_PHOTO_SUGGEST_SESSION);

  if (self->session == treatment_id)
    return;
  self->session = treatment_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEEDS_SESSION]);
}

DermPhotoView
derm_photo_import_item_get_view (DermPhotoImportItem *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO_IMPORT_ITEM (self), DERM_PHOTO_VIEW_OTHER);

  return self->view;
}

void
derm_photo_import_item_set_view (DermPhotoImportItem *self,
                                 DermPhotoView        view)
{
  g_return_if_fail (DERM_IS_PHOTO_IMPORT_ITEM (self));
  g_return_if_fail (view <= DERM_PHOTO_VIEW_OTHER);

  if (self->view == view)
    return;
  self->view = view;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW]);
}

const char *
derm_photo_import_item_get_area (DermPhotoImportItem *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO_IMPORT_ITEM (self), NULL);

  return self->area;
}

void
derm_photo_import_item_set_area (DermPhotoImportItem *self,
                                 const char          *area)
{
  g_return_if_fail (DERM_IS_PHOTO_IMPORT_ITEM (self));

  if (area != NULL && *area == '\0')
    area = NULL;
  if (set_string (&self->area, area))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AREA]);
}

gboolean
derm_photo_import_item_get_needs_session (DermPhotoImportItem *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO_IMPORT_ITEM (self), FALSE);

  return self->session == DERM_PHOTO_SUGGEST_SESSION && self->captured_at == NULL;
}

void
derm_photo_import_item_get_options (DermPhotoImportItem    *self,
                                    DermPhotoImportOptions *options)
{
  g_return_if_fail (DERM_IS_PHOTO_IMPORT_ITEM (self));
  g_return_if_fail (options != NULL);

  options->treatment_id = self->session;
  options->view = self->view;
  options->area = self->area;
}
