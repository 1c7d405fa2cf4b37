/* derm-signature-pad.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-documents"

#include "config.h"

#include "derm-signature-pad.h"

#define RESOURCE_PATH "/io/github/dermis/Dermis"

struct _DermSignaturePad
{
  GtkWidget       parent_instance;

  GtkDrawingArea *canvas;
  DermSignature  *signature;
  gboolean        drawing;      /* a stroke is under way */
  gboolean        stylus;       /* ... drawn by the stylus gesture */
  double          drag_x;       /* where the drag gesture started */
  double          drag_y;
  gboolean        is_signed;
};

G_DEFINE_FINAL_TYPE (DermSignaturePad, derm_signature_pad, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SIGNED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_state (DermSignaturePad *self)
{
  gboolean is_signed = derm_signature_is_signed (self->signature);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "signature-pad.clear",
                                 derm_signature_get_n_strokes (self->signature) > 0);
  if (is_signed != self->is_signed)
    {
      self->is_signed = is_signed;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED]);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
}

/* The box the strokes are recorded in: the canvas as first drawn on */
static void
ensure_signature_size (DermSignaturePad *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self->canvas));
  int height = gtk_widget_get_height (GTK_WIDGET (self->canvas));

  if (derm_signature_get_n_strokes (self->signature) > 0 || width <= 0 || height <= 0)
    return;
  g_object_unref (self->signature);
  self->signature = derm_signature_new (width, height);
}

void
derm_signature_pad_stroke_begin (DermSignaturePad *self,
                                 double            x,
                                 double            y,
                                 double            pressure)
{
  g_return_if_fail (DERM_IS_SIGNATURE_PAD (self));

  ensure_signature_size (self);
  derm_signature_begin_stroke (self->signature, x, y, pressure);
  self->drawing = TRUE;
  update_state (self);
}

void
derm_signature_pad_stroke_to (DermSignaturePad *self,
                              double            x,
                              double            y,
                              double            pressure)
{
  g_return_if_fail (DERM_IS_SIGNATURE_PAD (self));

  if (!self->drawing)
    return;
  derm_signature_add_point (self->signature, x, y, pressure);
  update_state (self);
}

void
derm_signature_pad_stroke_end (DermSignaturePad *self)
{
  g_return_if_fail (DERM_IS_SIGNATURE_PAD (self));

  self->drawing = FALSE;
  self->stylus = FALSE;
  update_state (self);
}

/* --- gestures ---------------------------------------------------------- */

static double
stylus_pressure (GtkGestureStylus *gesture)
{
  double pressure;

  if (gtk_gesture_stylus_get_axis (gesture, GDK_AXIS_PRESSURE, &pressure))
    return pressure;
  return 1.0;
}

static void
on_stylus_down (GtkGestureStylus *gesture,
                double            x,
                double            y,
                DermSignaturePad *self)
{
  self->stylus = TRUE;
  derm_signature_pad_stroke_begin (self, x, y, stylus_pressure (gesture));
  self->stylus = TRUE;
}

static void
on_stylus_motion (GtkGestureStylus *gesture,
                  double            x,
                  double            y,
                  DermSignaturePad *self)
{
  if (self->stylus)
    derm_signature_pad_stroke_to (self, x, y, stylus_pressure (gesture));
}

static void
on_stylus_up (GtkGestureStylus *gesture,
              double            x,
              double            y,
              DermSignaturePad *self)
{
  if (self->stylus)
    {
      derm_signature_pad_stroke_to (self, x, y, stylus_pressure (gesture));
      derm_signature_pad_stroke_end (self);
    }
}

/* A pen's events reach the drag gesture too: the stylus gesture has them */
static gboolean
from_pen (GtkGesture *gesture)
{
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (gesture));

  return event != NULL && gdk_event_get_device_tool (event) != NULL;
}

static void
on_drag_begin (GtkGestureDrag   *gesture,
               double            x,
               double            y,
               DermSignaturePad *self)
{
  if (self->stylus || from_pen (GTK_GESTURE (gesture)))
    return;
  self->drag_x = x;
  self->drag_y = y;
  derm_signature_pad_stroke_begin (self, x, y, 1.0);
}

static void
on_drag_update (GtkGestureDrag   *gesture,
                double            dx,
                double            dy,
                DermSignaturePad *self)
{
  if (!self->stylus)
    derm_signature_pad_stroke_to (self, self->drag_x + dx, self->drag_y + dy, 1.0);
}

static void
on_drag_end (GtkGestureDrag   *gesture,
             double            dx,
             double            dy,
             DermSignaturePad *self)
{
  if (!self->stylus && self->drawing)
    derm_signature_pad_stroke_end (self);
}

/* --- drawing ----------------------------------------------------------- */

static void
draw_canvas (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  DermSignaturePad *self = user_data;
  double sw = derm_signature_get_width (self->signature);
  double sh = derm_signature_get_height (self->signature);

  /* Paper white whatever the theme: what is signed looks like ink */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0.7, 0.7, 0.7);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, 24, height - 36.5);
  cairo_line_to (cr, width - 24, height - 36.5);
  cairo_stroke (cr);

  cairo_set_source_rgb (cr, 0.05, 0.1, 0.35);
  /* Strokes are kept in the size the canvas had when signing began */
  cairo_save (cr);
  cairo_scale (cr, MIN (width / sw, height / sh), MIN (width / sw, height / sh));
  derm_signature_draw (self->signature, cr, sw, sh);
  cairo_restore (cr);
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  DermSignaturePad *self = DERM_SIGNATURE_PAD (widget);

  derm_signature_clear (self->signature);
  self->drawing = FALSE;
  self->stylus = FALSE;
  update_state (self);
}

/* --- the object ---------------------------------------------------------- */

static void
derm_signature_pad_dispose (GObject *object)
{
  DermSignaturePad *self = DERM_SIGNATURE_PAD (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), DERM_TYPE_SIGNATURE_PAD);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->signature);

  G_OBJECT_CLASS (derm_signature_pad_parent_class)->dispose (object);
}

static void
derm_signature_pad_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  DermSignaturePad *self = DERM_SIGNATURE_PAD (object);

  switch (prop_id)
    {
    case PROP_SIGNED:
      g_value_set_boolean (value, self->is_signed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_signature_pad_class_init (DermSignaturePadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = derm_signature_pad_dispose;
  object_class->get_property = derm_signature_pad_get_property;

  properties[PROP_SIGNED] =
    g_param_spec_boolean ("signed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/derm-signature-pad.ui");
  gtk_widget_class_bind_template_child (widget_class, DermSignaturePad, canvas);
  gtk_widget_class_install_action (widget_class, "signature-pad.clear", NULL, clear_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "signaturepad");
}

static void
derm_signature_pad_init (DermSignaturePad *self)
{
  GtkGesture *stylus, *drag;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->signature = derm_signature_new (480, 180);
  gtk_drawing_area_set_draw_func (self->canvas, draw_canvas, self, NULL);

  stylus = gtk_gesture_stylus_new ();
  g_signal_connect (stylus, "down", G_CALLBACK (on_stylus_down), self);
  g_signal_connect (stylus, "motion", G_CALLBACK (on_stylus_motion), self);
  g_signal_connect (stylus, "up", G_CALLBACK (on_stylus_up), self);
  gtk_widget_add_controller (GTK_WIDGET (self->canvas), GTK_EVENT_CONTROLLER (stylus));

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (drag), FALSE);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self->canvas), GTK_EVENT_CONTROLLER (drag));

  update_state (self);
}

GtkWidget *
derm_signature_pad_new (void)
{
  return g_object_new (DERM_TYPE_SIGNATURE_PAD, NULL);
}

DermSignature *
derm_signature_pad_get_signature (DermSignaturePad *self)
{
  g_return_val_if_fail (DERM_IS_SIGNATURE_PAD (self), NULL);
  return self->signature;
}

gboolean
derm_signature_pad_get_signed (DermSignaturePad *self)
{
  g_return_val_if_fail (DERM_IS_SIGNATURE_PAD (self), FALSE);
  return self->is_signed;
}
