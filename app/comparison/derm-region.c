/* derm-region.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "derm-region"

#include "config.h"

#include <math.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "derm-region.h"

struct _DermRegion
{
  GObject         parent_instance;

  gint64          id;
  gint64          client_id;
  DermPhotoView   view;
  char           *name;
  char           *frame_sha256;
  DermRegionKind  kind;
  GArray         *points;   /* double: x1, y1, x2, y2, ... */
};

G_DEFINE_FINAL_TYPE (DermRegion, derm_region, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (DermRegionKind, derm_region_kind,
                    G_DEFINE_ENUM_VALUE (DERM_REGION_RECT, "rect"),
                    G_DEFINE_ENUM_VALUE (DERM_REGION_POLYGON, "polygon"))

enum {
  PROP_0,
  PROP_ID,
  PROP_CLIENT_ID,
  PROP_VIEW,
  PROP_NAME,
  PROP_FRAME_SHA256,
  PROP_KIND,
  PROP_POINTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* g_set_str () is newer than the GLib we support */
static gboolean
replace_str (char       **slot,
             const char  *value)
{
  if (g_strcmp0 (*slot, value) == 0)
    return FALSE;
  g_free (*slot);
  *slot = g_strdup (value);
  return TRUE;
}

const char *
derm_region_kind_to_key (DermRegionKind kind)
{
  return kind == DERM_REGION_POLYGON ? "polygon" : "rect";
}

gboolean
derm_region_kind_from_key (const char     *key,
                           DermRegionKind *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  if (g_strcmp0 (key, "rect") == 0)
    *out = DERM_REGION_RECT;
  else if (g_strcmp0 (key, "polygon") == 0)
    *out = DERM_REGION_POLYGON;
  else
    return FALSE;
  return TRUE;
}

const char * const *
derm_region_get_suggested_names (void)
{
  static const char *names[6];
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      names[0] = _("Forehead");
      names[1] = _("Left cheek");
      names[2] = _("Right cheek");
      names[3] = _("Chin");
      names[4] = _("Nose");
      names[5] = NULL;
      g_once_init_leave (&initialized, 1);
    }
  return (const char * const *) names;
}

static void
derm_region_finalize (GObject *object)
{
  DermRegion *self = (DermRegion *) object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->frame_sha256, g_free);
  g_clear_pointer (&self->points, g_array_unref);

  G_OBJECT_CLASS (derm_region_parent_class)->finalize (object);
}

static void
derm_region_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  DermRegion *self = DERM_REGION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_CLIENT_ID:
      g_value_set_int64 (value, self->client_id);
      break;
    case PROP_VIEW:
      g_value_set_enum (value, self->view);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_FRAME_SHA256:
      g_value_set_string (value, self->frame_sha256);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_POINTS:
      g_value_set_boxed (value, self->points);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_region_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  DermRegion *self = DERM_REGION (object);

  switch (prop_id)
    {
    case PROP_ID:
      derm_region_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_CLIENT_ID:
      derm_region_set_client_id (self, g_value_get_int64 (value));
      break;
    case PROP_VIEW:
      derm_region_set_view (self, g_value_get_enum (value));
      break;
    case PROP_NAME:
      derm_region_set_name (self, g_value_get_string (value));
      break;
    case PROP_FRAME_SHA256:
      derm_region_set_frame_sha256 (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_region_class_init (DermRegionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = derm_region_finalize;
  object_class->get_property = derm_region_get_property;
  object_class->set_property = derm_region_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT_ID] =
    g_param_spec_int64 ("client-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VIEW] =
    g_param_spec_enum ("view", NULL, NULL, DERM_TYPE_PHOTO_VIEW, DERM_PHOTO_VIEW_FRONT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FRAME_SHA256] =
    g_param_spec_string ("frame-sha256", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, DERM_TYPE_REGION_KIND, DERM_REGION_RECT,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POINTS] =
    g_param_spec_boxed ("points", NULL, NULL, G_TYPE_ARRAY,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
derm_region_init (DermRegion *self)
{
  self->points = g_array_new (FALSE, FALSE, sizeof (double));
  self->view = DERM_PHOTO_VIEW_FRONT;
}

DermRegion *
derm_region_new_rect (const char *name,
                      double      x,
                      double      y,
                      double      width,
                      double      height)
{
  DermRegion *self = g_object_new (DERM_TYPE_REGION, "name", name, NULL);

  derm_region_set_rect (self, x, y, width, height);
  return self;
}

DermRegion *
derm_region_new_polygon (const char   *name,
                         const double *points,
                         guint         n_points)
{
  DermRegion *self;

  g_return_val_if_fail (points != NULL, NULL);
  g_return_val_if_fail (n_points >= 3 && n_points <= DERM_REGION_MAX_POINTS, NULL);

  self = g_object_new (DERM_TYPE_REGION, "name", name, NULL);
  derm_region_set_polygon (self, points, n_points);
  return self;
}

DermRegion *
derm_region_copy (DermRegion *self,
                  gboolean    keep_id)
{
  DermRegion *copy;

  g_return_val_if_fail (DERM_IS_REGION (self), NULL);

  copy = g_object_new (DERM_TYPE_REGION,
                       "id", keep_id ? self->id : (gint64) 0,
                       "client-id", self->client_id,
                       "view", self->view,
                       "name", self->name,
                       "frame-sha256", self->frame_sha256,
                       NULL);
  copy->kind = self->kind;
  g_array_append_vals (copy->points, self->points->data, self->points->len);
  return copy;
}

gint64
derm_region_get_id (DermRegion *self)
{
  g_return_val_if_fail (DERM_IS_REGION (self), 0);
  return self->id;
}

void
derm_region_set_id (DermRegion *self,
                    gint64      id)
{
  g_return_if_fail (DERM_IS_REGION (self));
  if (self->id == id)
    return;
  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

gint64
derm_region_get_client_id (DermRegion *self)
{
  g_return_val_if_fail (DERM_IS_REGION (self), 0);
  return self->client_id;
}

void
derm_region_set_client_id (DermRegion *self,
                           gint64      client_id)
{
  g_return_if_fail (DERM_IS_REGION (self));
  if (self->client_id == client_id)
    return;
  self->client_id = client_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT_ID]);
}

DermPhotoView
derm_region_get_view (DermRegion *self)
{
  g_return_val_if_fail (DERM_IS_REGION (self), DERM_PHOTO_VIEW_FRONT);
  return self->view;
}

void
derm_region_set_view (DermRegion    *self,
                      DermPhotoView  view)
{
  g_return_if_fail (DERM_IS_REGION (self));
  g_return_if_fail ((guint) view < DERM_N_PHOTO_VIEWS);
  if (self->view == view)
    return;
  self->view = view;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW]);
}

const char *
derm_region_get_name (DermRegion *self)
{
  g_return_val_if_fail (DERM_IS_REGION (self), NULL);
  return self->name;
}

void
derm_region_set_name (DermRegion *self,
                      const char *name)
{
  g_return_if_fail (DERM_IS_REGION (self));
  if (replace_str (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
derm_region_get_frame_sha256 (DermRegion *self)
{
  g_return_val_if_fail (DERM_IS_REGION (self), NULL);
  return self->frame_sha256;
}

void
derm_region_set_frame_sha256 (DermRegion *self,
                              const char *sha256)
{
  g_return_if_fail (DERM_IS_REGION (self));
  if (replace_str (&self->frame_sha256, sha256))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRAME_SHA256]);
}

DermRegionKind
derm_region_get_kind (DermRegion *self)
{
  g_return_val_if_fail (DERM_IS_REGION (self), DERM_REGION_RECT);
  return self->kind;
}

const double *
derm_region_get_points (DermRegion *self,
                        guint      *n_points)
{
  g_return_val_if_fail (DERM_IS_REGION (self), NULL);
  if (n_points != NULL)
    *n_points = self->points->len / 2;
  return (const double *) (void *) self->points->data;
}

gboolean
derm_region_get_rect (DermRegion *self,
                      double     *x,
                      double     *y,
                      double     *width,
                      double     *height)
{
  const double *p;

  g_return_val_if_fail (DERM_IS_REGION (self), FALSE);
  if (self->kind != DERM_REGION_RECT || self->points->len != 8)
    return FALSE;
  p = (const double *) (void *) self->points->data;
  if (x != NULL)
    *x = p[0];
  if (y != NULL)
    *y = p[1];
  if (width != NULL)
    *width = p[2] - p[0];
  if (height != NULL)
    *height = p[5] - p[1];
  return TRUE;
}

static void
set_kind (DermRegion     *self,
          DermRegionKind  kind)
{
  if (self->kind == kind)
    return;
  self->kind = kind;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

void
derm_region_set_rect (DermRegion *self,
                      double      x,
                      double      y,
                      double      width,
                      double      height)
{
  double corners[8];

  g_return_if_fail (DERM_IS_REGION (self));

  /* Drawn from any corner: normalise to a positive size */
  if (width < 0)
    x += width, width = -width;
  if (height < 0)
    y += height, height = -height;
  corners[0] = x, corners[1] = y;
  corners[2] = x + width, corners[3] = y;
  corners[4] = x + width, corners[5] = y + height;
  corners[6] = x, corners[7] = y + height;
  g_array_set_size (self->points, 0);
  g_array_append_vals (self->points, corners, 8);
  set_kind (self, DERM_REGION_RECT);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POINTS]);
}

void
derm_region_set_polygon (DermRegion   *self,
                         const double *points,
                         guint         n_points)
{
  g_return_if_fail (DERM_IS_REGION (self));
  g_return_if_fail (points != NULL);
  g_return_if_fail (n_points >= 3 && n_points <= DERM_REGION_MAX_POINTS);

  g_array_set_size (self->points, 0);
  g_array_append_vals (self->points, points, 2 * n_points);
  set_kind (self, DERM_REGION_POLYGON);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POINTS]);
}

void
derm_region_get_bounds (DermRegion *self,
                        int        *x,
                        int        *y,
                        int        *width,
                        int        *height)
{
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
  const double *p;

  g_return_if_fail (DERM_IS_REGION (self));

  p = (const double *) (void *) self->points->data;
  for (guint i = 0; i + 1 < self->points->len; i += 2)
    {
      x0 = MIN (x0, p[i]), x1 = MAX (x1, p[i]);
      y0 = MIN (y0, p[i + 1]), y1 = MAX (y1, p[i + 1]);
    }
  if (self->points->len == 0)
    x0 = y0 = x1 = y1 = 0;
  if (x != NULL)
    *x = (int) floor (x0);
  if (y != NULL)
    *y = (int) floor (y0);
  if (width != NULL)
    *width = (int) ceil (x1) - (int) floor (x0);
  if (height != NULL)
    *height = (int) ceil (y1) - (int) floor (y0);
}

gboolean
derm_region_contains (DermRegion *self,
                      double      x,
                      double      y)
{
  const double *p;
  guint n;
  gboolean inside = FALSE;

  g_return_val_if_fail (DERM_IS_REGION (self), FALSE);

  /* Even-odd crossing test; rectangles are polygons of 4 corners */
  p = derm_region_get_points (self, &n);
  for (guint i = 0, j = n - 1; i < n; j = i++)
    {
      double xi = p[2 * i], yi = p[2 * i + 1], xj = p[2 * j], yj = p[2 * j + 1];
      if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
        inside = !inside;
    }
  return inside;
}

void
derm_region_to_roi (DermRegion *self,
                    double      scale,
                    GArray     *points_storage,
                    DermRoi    *roi)
{
  double x, y, w, h;

  g_return_if_fail (DERM_IS_REGION (self));
  g_return_if_fail (points_storage != NULL);
  g_return_if_fail (roi != NULL);

  memset (roi, 0, sizeof *roi);
  g_array_set_size (points_storage, 0);
  if (derm_region_get_rect (self, &x, &y, &w, &h))
    {
      int x0 = (int) lround (x * scale), y0 = (int) lround (y * scale);
      int x1 = (int) lround ((x + w) * scale), y1 = (int) lround ((y + h) * scale);

      roi->kind = DERM_ROI_RECT;
      roi->x = x0;
      roi->y = y0;
      roi->width = x1 - x0;
      roi->height = y1 - y0;
      return;
    }

  for (guint i = 0; i < self->points->len; i++)
    {
      double v = g_array_index (self->points, double, i) * scale;
      g_array_append_val (points_storage, v);
    }
  roi->kind = DERM_ROI_POLYGON;
  roi->points = (const double *) (void *) points_storage->data;
  roi->n_points = points_storage->len / 2;
}

static void
append_number (GString *s,
               double   v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append (s, g_ascii_dtostr (buf, sizeof buf, v));
}

char *
derm_region_to_cli_option (DermRegion *self)
{
  g_autoptr (GArray) storage = g_array_new (FALSE, FALSE, sizeof (double));
  GString *s;
  DermRoi roi;

  g_return_val_if_fail (DERM_IS_REGION (self), NULL);

  derm_region_to_roi (self, 1.0, storage, &roi);
  if (roi.kind == DERM_ROI_RECT)
    return g_strdup_printf ("--roi=%d,%d,%d,%d", roi.x, roi.y, roi.width, roi.height);

  s = g_string_new ("--polygon=");
  for (guint i = 0; i < storage->len; i++)
    {
      if (i > 0)
        g_string_append_c (s, ',');
      append_number (s, g_array_index (storage, double, i));
    }
  return g_string_free (s, FALSE);
}

char *
derm_region_dup_geometry (DermRegion *self)
{
  GString *s;

  g_return_val_if_fail (DERM_IS_REGION (self), NULL);

  s = g_string_new (derm_region_kind_to_key (self->kind));
  g_string_append_c (s, ':');
  for (guint i = 0; i < self->points->len; i++)
    {
      if (i > 0)
        g_string_append_c (s, ',');
      append_number (s, g_array_index (self->points, double, i));
    }
  return g_string_free (s, FALSE);
}

char *
derm_region_dup_geometry_hash (DermRegion *self)
{
  g_autofree char *geometry = NULL;

  g_return_val_if_fail (DERM_IS_REGION (self), NULL);

  geometry = derm_region_dup_geometry (self);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, geometry, -1);
}

gboolean
derm_region_set_geometry (DermRegion  *self,
                          const char  *geometry,
                          GError     **error)
{
  g_autoptr (GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  g_auto (GStrv) parts = NULL;
  DermRegionKind kind;
  const char *colon;
  g_autofree char *key = NULL;

  g_return_val_if_fail (DERM_IS_REGION (self), FALSE);
  g_return_val_if_fail (geometry != NULL, FALSE);

  colon = strchr (geometry, ':');
  if (colon != NULL)
    key = g_strndup (geometry, (gsize) (colon - geometry));
  if (colon == NULL || !derm_region_kind_from_key (key, &kind))
    goto bad;
  parts = g_strsplit (colon + 1, ",", -1);
  for (char **p = parts; *p != NULL; p++)
    {
      char *end = NULL;
      double v = g_ascii_strtod (*p, &end);
      if (**p == '\0' || end == NULL || *end != '\0' || !isfinite (v))
        goto bad;
      g_array_append_val (values, v);
    }
  if (values->len % 2 != 0 || values->len / 2 < 3 || values->len / 2 > DERM_REGION_MAX_POINTS
      || (kind == DERM_REGION_RECT && values->len != 8))
    goto bad;

  if (kind == DERM_REGION_RECT)
    {
      const double *p = (const double *) (void *) values->data;
      derm_region_set_rect (self, p[0], p[1], p[4] - p[0], p[5] - p[1]);
    }
  else
    derm_region_set_polygon (self, (const double *) (void *) values->data, values->len / 2);
  return TRUE;

bad:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               _("The saved outline of a region is damaged; draw the region again"));
  return FALSE;
}

DermRegion *
derm_region_map (DermRegion   *self,
                 const double  h[9],
                 const char   *new_frame_sha256)
{
  DermRegion *copy;
  g_autoptr (GArray) mapped = NULL;
  gboolean axis_aligned;

  g_return_val_if_fail (DERM_IS_REGION (self), NULL);
  g_return_val_if_fail (h != NULL, NULL);

  copy = derm_region_copy (self, TRUE);
  derm_region_set_frame_sha256 (copy, new_frame_sha256);

  mapped = g_array_sized_new (FALSE, FALSE, sizeof (double), self->points->len);
  for (guint i = 0; i + 1 < self->points->len; i += 2)
    {
      double x = g_array_index (self->points, double, i);
      double y = g_array_index (self->points, double, i + 1);
      double w = h[6] * x + h[7] * y + h[8];
      double mx = (h[0] * x + h[1] * y + h[2]) / w;
      double my = (h[3] * x + h[4] * y + h[5]) / w;
      g_array_append_val (mapped, mx);
      g_array_append_val (mapped, my);
    }

  axis_aligned = fabs (h[1]) < 1e-9 && fabs (h[3]) < 1e-9 && fabs (h[6]) < 1e-12 && fabs (h[7]) < 1e-12;
  if (self->kind == DERM_REGION_RECT && axis_aligned)
    {
      const double *p = (const double *) (void *) mapped->data;
      derm_region_set_rect (copy, p[0], p[1], p[4] - p[0], p[5] - p[1]);
    }
  else
    derm_region_set_polygon (copy, (const double *) (void *) mapped->data, mapped->len / 2);
  return copy;
}
