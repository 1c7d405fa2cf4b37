/* derm-signature.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-document"

#include "config.h"

#include <math.h>

#include "derm-signature.h"

typedef struct
{
  double x, y, pressure;
} Point;

struct _DermSignature
{
  GObject    parent_instance;

  double     width;
  double     height;
  GPtrArray *strokes;   /* GArray of Point */
};

G_DEFINE_FINAL_TYPE (DermSignature, derm_signature, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_N_STROKES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
derm_signature_finalize (GObject *object)
{
  DermSignature *self = DERM_SIGNATURE (object);

  g_ptr_array_unref (self->strokes);

  G_OBJECT_CLASS (derm_signature_parent_class)->finalize (object);
}

static void
derm_signature_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DermSignature *self = DERM_SIGNATURE (object);

  switch (prop_id)
    {
    case PROP_N_STROKES:
      g_value_set_uint (value, self->strokes->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_signature_class_init (DermSignatureClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = derm_signature_finalize;
  object_class->get_property = derm_signature_get_property;

  properties[PROP_N_STROKES] =
    g_param_spec_uint ("n-strokes", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
derm_signature_init (DermSignature *self)
{
  self->strokes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
}

DermSignature *
derm_signature_new (double width,
                    double height)
{
  DermSignature *self = g_object_new (DERM_TYPE_SIGNATURE, NULL);

  self->width = MAX (width, 1.0);
  self->height = MAX (height, 1.0);
  return self;
}

double
derm_signature_get_width (DermSignature *self)
{
  g_return_val_if_fail (DERM_IS_SIGNATURE (self), 1.0);
  return self->width;
}

double
derm_signature_get_height (DermSignature *self)
{
  g_return_val_if_fail (DERM_IS_SIGNATURE (self), 1.0);
  return self->height;
}

void
derm_signature_begin_stroke (DermSignature *self,
                             double         x,
                             double         y,
                             double         pressure)
{
  g_return_if_fail (DERM_IS_SIGNATURE (self));

  g_ptr_array_add (self->strokes, g_array_new (FALSE, FALSE, sizeof (Point)));
  derm_signature_add_point (self, x, y, pressure);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_STROKES]);
}

void
derm_signature_add_point (DermSignature *self,
                          double         x,
                          double         y,
                          double         pressure)
{
  Point p = { CLAMP (x, 0, self->width), CLAMP (y, 0, self->height),
              isfinite (pressure) && pressure > 0 ? MIN (pressure, 1.0) : 1.0 };
  GArray *stroke;

  g_return_if_fail (DERM_IS_SIGNATURE (self));

  if (self->strokes->len == 0)
    {
      derm_signature_begin_stroke (self, x, y, pressure);
      return;
    }
  stroke = g_ptr_array_index (self->strokes, self->strokes->len - 1);
  g_array_append_val (stroke, p);
}

void
derm_signature_clear (DermSignature *self)
{
  g_return_if_fail (DERM_IS_SIGNATURE (self));

  if (self->strokes->len == 0)
    return;
  g_ptr_array_set_size (self->strokes, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_STROKES]);
}

guint
derm_signature_get_n_strokes (DermSignature *self)
{
  g_return_val_if_fail (DERM_IS_SIGNATURE (self), 0);
  return self->strokes->len;
}

guint
derm_signature_get_n_points (DermSignature *self)
{
  guint n = 0;

  g_return_val_if_fail (DERM_IS_SIGNATURE (self), 0);
  for (guint i = 0; i < self->strokes->len; i++)
    n += ((GArray *) g_ptr_array_index (self->strokes, i))->len;
  return n;
}

static gboolean
get_bounds (DermSignature *self,
            double        *x0,
            double        *y0,
            double        *x1,
            double        *y1)
{
  gboolean any = FALSE;

  for (guint i = 0; i < self->strokes->len; i++)
    {
      GArray *stroke = g_ptr_array_index (self->strokes, i);

      for (guint j = 0; j < stroke->len; j++)
        {
          Point *p = &g_array_index (stroke, Point, j);

          if (!any)
            {
              *x0 = *x1 = p->x;
              *y0 = *y1 = p->y;
              any = TRUE;
            }
          *x0 = MIN (*x0, p->x), *x1 = MAX (*x1, p->x);
          *y0 = MIN (*y0, p->y), *y1 = MAX (*y1, p->y);
        }
    }
  return any;
}

gboolean
derm_signature_is_signed (DermSignature *self)
{
  double x0, y0, x1, y1;

  g_return_val_if_fail (DERM_IS_SIGNATURE (self), FALSE);

  if (derm_signature_get_n_points (self) < 5 || !get_bounds (self, &x0, &y0, &x1, &y1))
    return FALSE;
  /* a tenth of the pad's width, or a fifth of its height */
  return x1 - x0 >= self->width / 10 || y1 - y0 >= self->height / 5;
}

void
derm_signature_draw (DermSignature *self,
                     cairo_t       *cr,
                     double         width,
                     double         height)
{
  double scale;

  g_return_if_fail (DERM_IS_SIGNATURE (self));

  scale = MIN (width / self->width, height / self->height);
  cairo_save (cr);
  cairo_translate (cr, (width - self->width * scale) / 2, (height - self->height * scale) / 2);
  cairo_scale (cr, scale, scale);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint i = 0; i < self->strokes->len; i++)
    {
      GArray *stroke = g_ptr_array_index (self->strokes, i);
      Point *first = &g_array_index (stroke, Point, 0);

      if (stroke->len == 1)
        {
          /* a dot */
          cairo_arc (cr, first->x, first->y, 1.2 * first->pressure + 0.6, 0, 2 * G_PI);
          cairo_fill (cr);
          continue;
        }
      /* Segment by segment, so the pen's pressure sets each one's width */
      for (guint j = 1; j < stroke->len; j++)
        {
          Point *a = &g_array_index (stroke, Point, j - 1);
          Point *b = &g_array_index (stroke, Point, j);

          cairo_set_line_width (cr, 1.2 + 2.4 * (a->pressure + b->pressure) / 2);
          cairo_move_to (cr, a->x, a->y);
          cairo_line_to (cr, b->x, b->y);
          cairo_stroke (cr);
        }
    }
  cairo_restore (cr);
}
