/* derm-photo.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "derm-photo"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "derm-photo.h"

G_DEFINE_QUARK (derm-photo-error-quark, derm_photo_error)

G_DEFINE_ENUM_TYPE (DermPhotoView, derm_photo_view,
                    G_DEFINE_ENUM_VALUE (DERM_PHOTO_VIEW_FRONT, "front"),
                    G_DEFINE_ENUM_VALUE (DERM_PHOTO_VIEW_LEFT_45, "left-45"),
                    G_DEFINE_ENUM_VALUE (DERM_PHOTO_VIEW_RIGHT_45, "right-45"),
                    G_DEFINE_ENUM_VALUE (DERM_PHOTO_VIEW_LEFT_90, "left-90"),
                    G_DEFINE_ENUM_VALUE (DERM_PHOTO_VIEW_RIGHT_90, "right-90"),
                    G_DEFINE_ENUM_VALUE (DERM_PHOTO_VIEW_CLOSE_UP, "close-up"),
                    G_DEFINE_ENUM_VALUE (DERM_PHOTO_VIEW_OTHER, "other"))

static const char * const view_keys[DERM_N_PHOTO_VIEWS] = {
  "front", "left-45", "right-45", "left-90", "right-90", "close-up", "other",
};

const char *
derm_photo_view_to_key (DermPhotoView view)
{
  g_return_val_if_fail ((guint) view < DERM_N_PHOTO_VIEWS, "other");
  return view_keys[view];
}

const char *
derm_photo_view_to_label (DermPhotoView view)
{
  switch (view)
    {
    case DERM_PHOTO_VIEW_FRONT:
      return _("Front");
    case DERM_PHOTO_VIEW_LEFT_45:
      return _("Left 45°");
    case DERM_PHOTO_VIEW_RIGHT_45:
      return _("Right 45°");
    case DERM_PHOTO_VIEW_LEFT_90:
      return _("Left 90°");
    case DERM_PHOTO_VIEW_RIGHT_90:
      return _("Right 90°");
    case DERM_PHOTO_VIEW_CLOSE_UP:
      return _("Close-up");
    case DERM_PHOTO_VIEW_OTHER:
    default:
      return _("Other");
    }
}

gboolean
derm_photo_view_from_key (const char    *key,
                          DermPhotoView *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  for (guint i = 0; key != NULL && i < DERM_N_PHOTO_VIEWS; i++)
    {
      if (g_ascii_strcasecmp (key, view_keys[i]) == 0)
        {
          *out = (DermPhotoView) i;
          return TRUE;
        }
    }
  return FALSE;
}

struct _DermPhoto
{
  GObject        parent_instance;
  gint64        id;
  gint64        client_id;
  gint64        treatment_id;
  char         *session_date;
  char         *sha256;
  char         *original_name;
  char         *mime_type;
  int           width;
  int           height;
  int           orientation;
  char         *captured_at;
  char         *camera_make;
  char         *camera_model;
  DermPhotoView view;
  char         *area;
  char         *imported_at;
  char         *removed_at;
  DermPhotoUse  use;
  gboolean      use_is_own;
};

G_DEFINE_FINAL_TYPE (DermPhoto, derm_photo, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_CLIENT_ID,
  PROP_TREATMENT_ID,
  PROP_SESSION_DATE,
  PROP_SHA256,
  PROP_ORIGINAL_NAME,
  PROP_MIME_TYPE,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_ORIENTATION,
  PROP_CAPTURED_AT,
  PROP_CAMERA_MAKE,
  PROP_CAMERA_MODEL,
  PROP_VIEW,
  PROP_AREA,
  PROP_IMPORTED_AT,
  PROP_REMOVED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Empty strings are stored as NULL; TRUE when the value changed */
static gboolean
set_string (char       **field,
            const char  *value)
{
  if (value != NULL && value[0] == '\0')
    value = NULL;

  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);

  return TRUE;
}

static void
derm_photo_finalize (GObject *object)
{
  DermPhoto *self = (DermPhoto *) object;

  g_clear_pointer (&self->session_date, g_free);
  g_clear_pointer (&self->sha256, g_free);
  g_clear_pointer (&self->original_name, g_free);
  g_clear_pointer (&self->mime_type, g_free);
  g_clear_pointer (&self->captured_at, g_free);
  g_clear_pointer (&self->camera_make, g_free);
  g_clear_pointer (&self->camera_model, g_free);
  g_clear_pointer (&self->area, g_free);
  g_clear_pointer (&self->imported_at, g_free);
  g_clear_pointer (&self->removed_at, g_free);

  G_OBJECT_CLASS (derm_photo_parent_class)->finalize (object);
}

static void
derm_photo_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  DermPhoto *self = DERM_PHOTO (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_CLIENT_ID:
      g_value_set_int64 (value, self->client_id);
      break;
    case PROP_TREATMENT_ID:
      g_value_set_int64 (value, self->treatment_id);
      break;
    case PROP_SESSION_DATE:
      g_value_set_string (value, self->session_date);
      break;
    case PROP_SHA256:
      g_value_set_string (value, self->sha256);
      break;
    case PROP_ORIGINAL_NAME:
      g_value_set_string (value, self->original_name);
      break;
    case PROP_MIME_TYPE:
      g_value_set_string (value, self->mime_type);
      break;
    case PROP_WIDTH:
      g_value_set_int (value, self->width);
      break;
    case PROP_HEIGHT:
      g_value_set_int (value, self->height);
      break;
    case PROP_ORIENTATION:
      g_value_set_int (value, self->orientation);
      break;
    case PROP_CAPTURED_AT:
      g_value_set_string (value, self->captured_at);
      break;
    case PROP_CAMERA_MAKE:
      g_value_set_string (value, self->camera_make);
      break;
    case PROP_CAMERA_MODEL:
      g_value_set_string (value, self->camera_model);
      break;
    case PROP_VIEW:
      g_value_set_enum (value, self->view);
      break;
    case PROP_AREA:
      g_value_set_string (value, self->area);
      break;
    case PROP_IMPORTED_AT:
      g_value_set_string (value, self->imported_at);
      break;
    case PROP_REMOVED_AT:
      g_value_set_string (value, self->removed_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_photo_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  DermPhoto *self = DERM_PHOTO (object);

  switch (prop_id)
    {
    case PROP_ID:
      derm_photo_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_CLIENT_ID:
      derm_photo_set_client_id (self, g_value_get_int64 (value));
      break;
    case PROP_TREATMENT_ID:
      derm_photo_set_treatment_id (self, g_value_get_int64 (value));
      break;
    case PROP_SESSION_DATE:
      derm_photo_set_session_date (self, g_value_get_string (value));
      break;
    case PROP_SHA256:
      derm_photo_set_sha256 (self, g_value_get_string (value));
      break;
    case PROP_ORIGINAL_NAME:
      derm_photo_set_original_name (self, g_value_get_string (value));
      break;
    case PROP_MIME_TYPE:
      derm_photo_set_mime_type (self, g_value_get_string (value));
      break;
    case PROP_WIDTH:
      derm_photo_set_size (self, g_value_get_int (value), self->height);
      break;
    case PROP_HEIGHT:
      derm_photo_set_size (self, self->width, g_value_get_int (value));
      break;
    case PROP_ORIENTATION:
      derm_photo_set_orientation (self, g_value_get_int (value));
      break;
    case PROP_CAPTURED_AT:
      derm_photo_set_captured_at (self, g_value_get_string (value));
      break;
    case PROP_CAMERA_MAKE:
      derm_photo_set_camera_make (self, g_value_get_string (value));
      break;
    case PROP_CAMERA_MODEL:
      derm_photo_set_camera_model (self, g_value_get_string (value));
      break;
    case PROP_VIEW:
      derm_photo_set_view (self, g_value_get_enum (value));
      break;
    case PROP_AREA:
      derm_photo_set_area (self, g_value_get_string (value));
      break;
    case PROP_IMPORTED_AT:
      derm_photo_set_imported_at (self, g_value_get_string (value));
      break;
    case PROP_REMOVED_AT:
      derm_photo_set_removed_at (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_photo_class_init (DermPhotoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = derm_photo_finalize;
  object_class->get_property = derm_photo_get_property;
  object_class->set_property = derm_photo_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_CLIENT_ID] =
    g_param_spec_int64 ("client-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_TREATMENT_ID] =
    g_param_spec_int64 ("treatment-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_SESSION_DATE] =
    g_param_spec_string ("session-date", NULL, NULL, NULL, flags);
  properties[PROP_SHA256] =
    g_param_spec_string ("sha256", NULL, NULL, NULL, flags);
  properties[PROP_ORIGINAL_NAME] =
    g_param_spec_string ("original-name", NULL, NULL, NULL, flags);
  properties[PROP_MIME_TYPE] =
    g_param_spec_string ("mime-type", NULL, NULL, NULL, flags);
  properties[PROP_WIDTH] =
    g_param_spec_int ("width", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_HEIGHT] =
    g_param_spec_int ("height", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_ORIENTATION] =
    g_param_spec_int ("orientation", NULL, NULL, 1, 8, 1, flags);
  properties[PROP_CAPTURED_AT] =
    g_param_spec_string ("captured-at", NULL, NULL, NULL, flags);
  properties[PROP_CAMERA_MAKE] =
    g_param_spec_string ("camera-make", NULL, NULL, NULL, flags);
  properties[PROP_CAMERA_MODEL] =
    g_param_spec_string ("camera-model", NULL, NULL, NULL, flags);
  properties[PROP_VIEW] =
    g_param_spec_enum ("view", NULL, NULL, DERM_TYPE_PHOTO_VIEW, DERM_PHOTO_VIEW_OTHER, flags);
  properties[PROP_AREA] =
    g_param_spec_string ("area", NULL, NULL, NULL, flags);
  properties[PROP_IMPORTED_AT] =
    g_param_spec_string ("imported-at", NULL, NULL, NULL, flags);
  properties[PROP_REMOVED_AT] =
    g_param_spec_string ("removed-at", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
derm_photo_init (DermPhoto *self)
{
  self->orientation = 1;
  self->view = DERM_PHOTO_VIEW_OTHER;
}

DermPhoto *
derm_photo_new (void)
{
  return g_object_new (DERM_TYPE_PHOTO, NULL);
}

DermPhoto *
derm_photo_copy (DermPhoto *self)
{
  DermPhoto *copy;

  g_return_val_if_fail (DERM_IS_PHOTO (self), NULL);

  copy = derm_photo_new ();
  copy->id = self->id;
  copy->client_id = self->client_id;
  copy->treatment_id = self->treatment_id;
  copy->session_date = g_strdup (self->session_date);
  copy->sha256 = g_strdup (self->sha256);
  copy->original_name = g_strdup (self->original_name);
  copy->mime_type = g_strdup (self->mime_type);
  copy->width = self->width;
  copy->height = self->height;
  copy->orientation = self->orientation;
  copy->captured_at = g_strdup (self->captured_at);
  copy->camera_make = g_strdup (self->camera_make);
  copy->camera_model = g_strdup (self->camera_model);
  copy->view = self->view;
  copy->area = g_strdup (self->area);
  copy->imported_at = g_strdup (self->imported_at);
  copy->removed_at = g_strdup (self->removed_at);
  copy->use = self->use;
  copy->use_is_own = self->use_is_own;

  return copy;
}

gint64
derm_photo_get_id (DermPhoto *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO (self), 0);
  return self->id;
}

void
derm_photo_set_id (DermPhoto *self,
                   gint64 id)
{
  g_return_if_fail (DERM_IS_PHOTO (self));

  if (self->id == id)
    return;
  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

gint64
derm_photo_get_client_id (DermPhoto *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO (self), 0);
  return self->client_id;
}

void
derm_photo_set_client_id (DermPhoto *self,
                          gint64 client_id)
{
  g_return_if_fail (DERM_IS_PHOTO (self));

  if (self->client_id == client_id)
    return;
  self->client_id = client_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT_ID]);
}

gint64
derm_photo_get_treatment_id (DermPhoto *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO (self), 0);
  return self->treatment_id;
}

void
derm_photo_set_treatment_id (DermPhoto *self,
                             gint64 treatment_id)
{
  g_return_if_fail (DERM_IS_PHOTO (self));

  if (self->treatment_id == treatment_id)
    return;
  self->treatment_id = treatment_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TREATMENT_ID]);
}

const char *
derm_photo_get_session_date (DermPhoto *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO (self), NULL);
  return self->session_date;
}

void
derm_photo_set_session_date (DermPhoto *self,
                             const char *date)
{
  g_return_if_fail (DERM_IS_PHOTO (self));

  if (set_string (&self->session_date, date))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION_DATE]);
}

const char *
derm_photo_get_sha256 (DermPhoto *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO (self), NULL);
  return self->sha256;
}

void
derm_photo_set_sha256 (DermPhoto *self,
                       const char *sha256)
{
  g_return_if_fail (DERM_IS_PHOTO (self));

  if (set_string (&self->sha256, sha256))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHA256]);
}

const char *
derm_photo_get_original_name (DermPhoto *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO (self), NULL);
  return self->original_name;
}

void
derm_photo_set_original_name (DermPhoto *self,
                              const char *name)
{
  g_return_if_fail (DERM_IS_PHOTO (self));

  if (set_string (&self->original_name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORIGINAL_NAME]);
}

const char *
derm_photo_get_mime_type (DermPhoto *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO (self), NULL);
  return self->mime_type;
}

void
derm_photo_set_mime_type (DermPhoto *self,
                          const char *mime_type)
{
  g_return_if_fail (DERM_IS_PHOTO (self));

  if (set_string (&self->mime_type, mime_type))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MIME_TYPE]);
}

int
derm_photo_get_width (DermPhoto *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO (self), 0);
  return self->width;
}

int
derm_photo_get_height (DermPhoto *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO (self), 0);
  return self->height;
}

int
derm_photo_get_orientation (DermPhoto *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO (self), 0);
  return self->orientation;
}

void
derm_photo_set_orientation (DermPhoto *self,
                            int orientation)
{
  g_return_if_fail (DERM_IS_PHOTO (self));

  if (orientation < 1 || orientation > 8)
    orientation = 1;

  if (self->orientation == orientation)
    return;
  self->orientation = orientation;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORIENTATION]);
}

const char *
derm_photo_get_captured_at (DermPhoto *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO (self), NULL);
  return self->captured_at;
}

void
derm_photo_set_captured_at (DermPhoto *self,
                            const char *captured_at)
{
  g_return_if_fail (DERM_IS_PHOTO (self));

  if (set_string (&self->captured_at, captured_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAPTURED_AT]);
}

const char *
derm_photo_get_camera_make (DermPhoto *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO (self), NULL);
  return self->camera_make;
}

void
derm_photo_set_camera_make (DermPhoto *self,
                            const char *make)
{
  g_return_if_fail (DERM_IS_PHOTO (self));

  if (set_string (&self->camera_make, make))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAMERA_MAKE]);
}

const char *
derm_photo_get_camera_model (DermPhoto *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO (self), NULL);
  return self->camera_model;
}

void
derm_photo_set_camera_model (DermPhoto *self,
                             const char *model)
{
  g_return_if_fail (DERM_IS_PHOTO (self));

  if (set_string (&self->camera_model, model))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAMERA_MODEL]);
}

DermPhotoView
derm_photo_get_view (DermPhoto *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO (self), DERM_PHOTO_VIEW_OTHER);
  return self->view;
}

void
derm_photo_set_view (DermPhoto *self,
                     DermPhotoView view)
{
  g_return_if_fail (DERM_IS_PHOTO (self));
  g_return_if_fail ((guint) view < DERM_N_PHOTO_VIEWS);

  if (self->view == view)
    return;
  self->view = view;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW]);
}

const char *
derm_photo_get_area (DermPhoto *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO (self), NULL);
  return self->area;
}

void
derm_photo_set_area (DermPhoto *self,
                     const char *area)
{
  g_return_if_fail (DERM_IS_PHOTO (self));

  if (set_string (&self->area, area))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AREA]);
}

const char *
derm_photo_get_imported_at (DermPhoto *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO (self), NULL);
  return self->imported_at;
}

void
derm_photo_set_imported_at (DermPhoto *self,
                            const char *timestamp)
{
  g_return_if_fail (DERM_IS_PHOTO (self));

  if (set_string (&self->imported_at, timestamp))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMPORTED_AT]);
}

const char *
derm_photo_get_removed_at (DermPhoto *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO (self), NULL);
  return self->removed_at;
}

void
derm_photo_set_removed_at (DermPhoto *self,
                           const char *timestamp)
{
  g_return_if_fail (DERM_IS_PHOTO (self));

  if (set_string (&self->removed_at, timestamp))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMOVED_AT]);
}

void
derm_photo_set_size (DermPhoto *self,
                     int        width,
                     int        height)
{
  g_return_if_fail (DERM_IS_PHOTO (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->width != width)
    {
      self->width = width;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WIDTH]);
    }
  if (self->height != height)
    {
      self->height = height;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEIGHT]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

char *
derm_photo_dup_camera (DermPhoto *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO (self), NULL);

  if (self->camera_make == NULL && self->camera_model == NULL)
    return NULL;
  if (self->camera_make == NULL)
    return g_strdup (self->camera_model);
  if (self->camera_model == NULL)
    return g_strdup (self->camera_make);
  if (g_ascii_strncasecmp (self->camera_model, self->camera_make, strlen (self->camera_make)) == 0)
    return g_strdup (self->camera_model);
  return g_strdup_printf ("%s %s", self->camera_make, self->camera_model);
}

DermPhotoUse
derm_photo_get_use (DermPhoto *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO (self), DERM_PHOTO_USE_CLINICAL);
  return self->use;
}

gboolean
derm_photo_get_use_is_own (DermPhoto *self)
{
  g_return_val_if_fail (DERM_IS_PHOTO (self), FALSE);
  return self->use_is_own;
}

void
derm_photo_set_use (DermPhoto    *self,
                    DermPhotoUse  use,
                    gboolean      own)
{
  g_return_if_fail (DERM_IS_PHOTO (self));
  g_return_if_fail ((guint) use < DERM_N_PHOTO_USES);
  self->use = use;
  self->use_is_own = own;
}
