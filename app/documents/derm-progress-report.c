/* derm-progress-report.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The whole report is assembled in one function that runs in the calling
 * thread; build_async runs it in a GTask. The worker reads the store (which
 * serialises its calls) and plain copies of the options, never the
 * DermProgressReport the UI holds, except to post progress to its context.
 */
#define G_LOG_DOMAIN "derm-document"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

#include <glib/gi18n.h>
#include <pango/pangocairo.h>

#include "derm-aftercare-sheet.h"
#include "derm-client.h"
#include "derm-comparison-export.h"
#include "derm-comparison.h"
#include "derm-imaging-error.h"
#include "derm-metric-text.h"
#include "derm-photo-decode.h"
#include "derm-progress.h"
#include "derm-progress-report.h"
#include "derm-region.h"
#include "derm-store-compare.h"
#include "derm-store-documents.h"
#include "derm-store.h"
#include "derm-treatment.h"
#include "derm-trend.h"
#include "derm-validate.h"

#define PHOTO_HEIGHT   150.0   /* points: the row of before, after and change */
#define CHART_HEIGHT   140.0
#define CHART_SCALE    0.5     /* chart design pixels per point */
#define TIMELINE_HEIGHT 46.0
#define MAP_OPACITY    0.8

/* The metrics charted per region: redness and texture */
static const DermMetric charted[] = { DERM_METRIC_A_MEAN, DERM_METRIC_ROUGHNESS };

struct _DermProgressReport
{
  GObject               parent_instance;

  DermPhotoLibrary     *library;
  gint64                client_id;
  int                   view;
  char                 *from;
  char                 *to;
  char                 *today;
  DermAnalysisSettings  settings;

  double                progress;
  gboolean              running;
  guint                 n_views;
  guint                 n_photos;
  GPtrArray            *photos;   /* DermPhoto: the stored photos the last build printed */
};

G_DEFINE_FINAL_TYPE (DermProgressReport, derm_progress_report, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROGRESS,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
derm_progress_report_finalize (GObject *object)
{
  DermProgressReport *self = DERM_PROGRESS_REPORT (object);

  g_clear_object (&self->library);
  g_clear_pointer (&self->photos, g_ptr_array_unref);
  g_free (self->from);
  g_free (self->to);
  g_free (self->today);

  G_OBJECT_CLASS (derm_progress_report_parent_class)->finalize (object);
}

static void
derm_progress_report_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  DermProgressReport *self = DERM_PROGRESS_REPORT (object);

  switch (prop_id)
    {
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_progress_report_class_init (DermProgressReportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = derm_progress_report_finalize;
  object_class->get_property = derm_progress_report_get_property;

  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
derm_progress_report_init (DermProgressReport *self)
{
  self->view = DERM_PROGRESS_REPORT_ALL_VIEWS;
  derm_analysis_settings_init (&self->settings);
  self->photos = g_ptr_array_new_with_free_func (g_object_unref);
}

DermProgressReport *
derm_progress_report_new (DermPhotoLibrary *library,
                          gint64            client_id)
{
  DermProgressReport *self;

  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (library), NULL);

  self = g_object_new (DERM_TYPE_PROGRESS_REPORT, NULL);
  self->library = g_object_ref (library);
  self->client_id = client_id;
  return self;
}

void
derm_progress_report_set_view (DermProgressReport *self,
                               int                 view)
{
  g_return_if_fail (DERM_IS_PROGRESS_REPORT (self));
  g_return_if_fail (view == DERM_PROGRESS_REPORT_ALL_VIEWS || (view >= 0 && view < DERM_N_PHOTO_VIEWS));

  self->view = view;
}

void
derm_progress_report_set_date_range (DermProgressReport *self,
                                     const char         *from,
                                     const char         *to)
{
  g_return_if_fail (DERM_IS_PROGRESS_REPORT (self));

  g_free (self->from);
  self->from = from != NULL && *from != '\0' ? g_strdup (from) : NULL;
  g_free (self->to);
  self->to = to != NULL && *to != '\0' ? g_strdup (to) : NULL;
}

void
derm_progress_report_set_today (DermProgressReport *self,
                                const char         *today)
{
  g_return_if_fail (DERM_IS_PROGRESS_REPORT (self));

  g_free (self->today);
  self->today = g_strdup (today);
}

void
derm_progress_report_set_settings (DermProgressReport         *self,
                                   const DermAnalysisSettings *settings)
{
  g_return_if_fail (DERM_IS_PROGRESS_REPORT (self));
  g_return_if_fail (settings != NULL);

  self->settings = *settings;
}

double
derm_progress_report_get_progress (DermProgressReport *self)
{
  g_return_val_if_fail (DERM_IS_PROGRESS_REPORT (self), 0.0);
  return self->progress;
}

gboolean
derm_progress_report_get_running (DermProgressReport *self)
{
  g_return_val_if_fail (DERM_IS_PROGRESS_REPORT (self), FALSE);
  return self->running;
}

guint
derm_progress_report_get_n_views (DermProgressReport *self)
{
  g_return_val_if_fail (DERM_IS_PROGRESS_REPORT (self), 0);
  return self->n_views;
}

guint
derm_progress_report_get_n_photos (DermProgressReport *self)
{
  g_return_val_if_fail (DERM_IS_PROGRESS_REPORT (self), 0);
  return self->n_photos;
}

GPtrArray *
derm_progress_report_get_photos (DermProgressReport *self)
{
  g_return_val_if_fail (DERM_IS_PROGRESS_REPORT (self), NULL);
  return self->photos;
}

/* ------------------------------------------------------------ the work */

typedef struct
{
  DermProgressReport   *self;      /* progress only, on @context; NULL when synchronous */
  GMainContext         *context;
  DermPhotoLibrary     *library;
  DermStore            *store;
  gint64                client_id;
  int                   view;
  char                 *from;
  char                 *to;
  char                 *today;
  DermAnalysisSettings  settings;
  /* results */
  guint                 n_views;
  guint                 n_photos;
  GPtrArray            *photos;    /* DermPhoto printed, for the photo-use check */
} BuildData;

static void
build_data_free (gpointer data)
{
  BuildData *d = data;

  g_clear_object (&d->self);
  g_clear_pointer (&d->context, g_main_context_unref);
  g_clear_object (&d->library);
  g_clear_object (&d->store);
  g_clear_pointer (&d->photos, g_ptr_array_unref);
  g_free (d->from);
  g_free (d->to);
  g_free (d->today);
  g_free (d);
}

static BuildData *
build_data_new (DermProgressReport *self)
{
  BuildData *d = g_new0 (BuildData, 1);

  d->library = g_object_ref (self->library);
  d->store = g_object_ref (derm_photo_library_get_store (self->library));
  d->client_id = self->client_id;
  d->view = self->view;
  d->from = g_strdup (self->from);
  d->to = g_strdup (self->to);
  d->today = g_strdup (self->today);
  d->settings = self->settings;
  d->photos = g_ptr_array_new_with_free_func (g_object_unref);
  return d;
}

static void
apply_progress (GObject *object,
                double   progress)
{
  DermProgressReport *self = DERM_PROGRESS_REPORT (object);

  if (self->running && progress > self->progress)
    {
      self->progress = progress;
      g_object_notify_by_pspec (object, properties[PROP_PROGRESS]);
    }
}

static void
report_progress (BuildData *d,
                 double     progress)
{
  if (d->self == NULL)
    return;
  derm_progress_post (d->context, G_OBJECT (d->self), apply_progress, CLAMP (progress, 0.0, 1.0));
}

typedef enum { DATE_START, DATE_END, DATE_REPORT } DateRole;

static gboolean
check_date (const char  *text,
            DateRole     role,
            GError     **error)
{
  GDate day;

  if (text == NULL || derm_date_parse (text, &day))
    return TRUE;
  switch (role)
    {
    case DATE_START:
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID_DATE,
                   _("The start date “%s” is not a date. Write it as YYYY-MM-DD, e.g. 2026-03-01."), text);
      break;
    case DATE_END:
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID_DATE,
                   _("The end date “%s” is not a date. Write it as YYYY-MM-DD, e.g. 2026-03-01."), text);
      break;
    case DATE_REPORT:
    default:
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID_DATE,
                   _("The report date “%s” is not a date. Write it as YYYY-MM-DD, e.g. 2026-03-01."), text);
      break;
    }
  return FALSE;
}

static gboolean
in_range (BuildData  *d,
          const char *date)
{
  return date != NULL && (d->from == NULL || strncmp (date, d->from, 10) >= 0)
         && (d->to == NULL || strncmp (date, d->to, 10) <= 0);
}

static char *
display_date (const char *iso)
{
  char *text = derm_date_format_display (iso, TRUE);

  return text != NULL ? text : g_strdup (iso != NULL ? iso : "");
}

/* --- the series timeline ------------------------------------------------ */

typedef struct
{
  GPtrArray *labels;     /* char *: "1", "2", ... */
  GPtrArray *dates;      /* char *: short display dates */
  GArray    *days;       /* double: Julian days */
  char      *next_date;  /* short display date of the next booked, or NULL */
  double     next_day;
} Timeline;

static void
timeline_free (gpointer data)
{
  Timeline *t = data;

  g_ptr_array_unref (t->labels);
  g_ptr_array_unref (t->dates);
  g_array_unref (t->days);
  g_free (t->next_date);
  g_free (t);
}

static void
show_centred (cairo_t    *cr,
              const char *font,
              const char *text,
              double      x,
              double      y)
{
  g_autoptr (PangoLayout) layout = pango_cairo_create_layout (cr);
  g_autoptr (PangoFontDescription) desc = pango_font_description_from_string (font);
  int w, h;

  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_size (layout, &w, &h);
  cairo_move_to (cr, x - pango_units_to_double (w) / 2, y);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_timeline (cairo_t  *cr,
               double    width,
               double    height,
               gpointer  user_data)
{
  Timeline *t = user_data;
  double first, last, y = 14;
  guint n = t->days->len;

  if (n == 0 && t->next_date == NULL)
    return;
  first = n > 0 ? g_array_index (t->days, double, 0) : t->next_day;
  last = t->next_date != NULL ? t->next_day : g_array_index (t->days, double, n - 1);
#define X_OF(day) (last > first ? 36 + (width - 72) * ((day) - first) / (last - first) : width / 2)

  cairo_set_source_rgb (cr, 0.6, 0.6, 0.65);
  cairo_set_line_width (cr, 1.2);
  cairo_move_to (cr, 12, y);
  cairo_line_to (cr, width - 12, y);
  cairo_stroke (cr);
  for (guint i = 0; i < n; i++)
    {
      double x = X_OF (g_array_index (t->days, double, i));

      cairo_set_source_rgb (cr, 0.11, 0.44, 0.85);
      cairo_new_path (cr);
      cairo_arc (cr, x, y, 6, 0, 2 * G_PI);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
      show_centred (cr, DERM_DOCUMENT_FONT " Bold 6.5", g_ptr_array_index (t->labels, i), x, y - 4.5);
      cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
      show_centred (cr, DERM_DOCUMENT_FONT " 6.5", g_ptr_array_index (t->dates, i), x, y + 9 + (i % 2) * 9);
    }
  if (t->next_date != NULL)
    {
      double x = X_OF (t->next_day);

      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_new_path (cr);
      cairo_arc (cr, x, y, 6, 0, 2 * G_PI);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 0.11, 0.44, 0.85);
      cairo_set_dash (cr, (const double[]) { 2, 1.5 }, 2, 0);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
      show_centred (cr, DERM_DOCUMENT_FONT " 6.5", t->next_date, x, y + 9 + (n % 2) * 9);
    }
#undef X_OF
}

static double
julian (const char *iso)
{
  GDate day;

  return derm_date_parse (iso, &day) ? g_date_get_julian (&day) : 0;
}

/* Sessions done in the period, oldest first, numbered among all of the
 * client's sessions; the next booked appointment after @report_day */
static gboolean
add_series (BuildData     *d,
            DermDocument  *doc,
            const GDate   *report_day,
            GError       **error)
{
  g_autoptr (GPtrArray) treatments = derm_store_list_treatments (d->store, d->client_id, error);
  g_autofree char *next = NULL;
  Timeline *t;
  GDate next_day;
  guint n_done = 0;

  if (treatments == NULL)
    return FALSE;
  next = derm_document_next_appointment (d->store, d->client_id, report_day, &next_day, error);
  if (next == NULL)
    return FALSE;

  t = g_new0 (Timeline, 1);
  t->labels = g_ptr_array_new_with_free_func (g_free);
  t->dates = g_ptr_array_new_with_free_func (g_free);
  t->days = g_array_new (FALSE, FALSE, sizeof (double));

  derm_document_add_heading (doc, _("Treatment series"));
  for (guint k = treatments->len; k-- > 0;)   /* newest first: walk back */
    {
      DermTreatment *treatment = g_ptr_array_index (treatments, k);
      const char *date = derm_treatment_get_date (treatment);
      g_autofree char *protocol = NULL;
      g_autofree char *label = NULL;
      g_autofree char *value = NULL;
      g_autofree char *day_text = NULL;
      gint64 protocol_id = 0;
      guint number = treatments->len - k;
      double day;

      if (!in_range (d, date))
        continue;
      if (!derm_store_get_treatment_protocol (d->store, derm_treatment_get_id (treatment), &protocol_id,
                                              &protocol, error))
        {
          timeline_free (t);
          return FALSE;
        }
      n_done++;
      day_text = display_date (date);
      /* TRANSLATORS: a session's number among the client's sessions */
      label = g_strdup_printf (_("Session %u"), number);
      {
        g_autoptr (GString) line = g_string_new (day_text);
        const char *areas = derm_treatment_get_areas (treatment);

        if (protocol != NULL && *protocol != '\0')
          g_string_append_printf (line, " · %s", protocol);
        if (areas != NULL && *areas != '\0')
          g_string_append_printf (line, " · %s", areas);
        value = g_string_free (g_steal_pointer (&line), FALSE);
      }
      derm_document_add_field (doc, label, value);
      g_ptr_array_add (t->labels, g_strdup_printf ("%u", number));
      g_ptr_array_add (t->dates, derm_date_format_display (date, FALSE));
      day = julian (date);
      g_array_append_val (t->days, day);
    }
  if (n_done == 0)
    derm_document_add_field (doc, _("Sessions done"), _("None in this period"));
  derm_document_add_field (doc, _("Next booked"), *next != '\0' ? next : _("Nothing booked yet"));

  if (*next != '\0')
    {
      g_autofree char *iso = derm_date_format (&next_day);

      t->next_date = derm_date_format_display (iso, FALSE);
      t->next_day = g_date_get_julian (&next_day);
    }
  if (t->days->len > 0 || t->next_date != NULL)
    derm_document_add_drawing (doc, TIMELINE_HEIGHT, draw_timeline, t, timeline_free);
  else
    timeline_free (t);
  return TRUE;
}

/* --- photos and the change map --------------------------------------------- */

/* An opaque surface of @image over white paper (the uncovered border of an
 * aligned photo prints white) */
static cairo_surface_t *
surface_from_image (const DermImage *image)
{
  int w = derm_image_get_width (image), h = derm_image_get_height (image);
  gsize stride = (gsize) w * 4;
  g_autofree guint8 *rgba = g_malloc (stride * h);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  guint8 *dst;
  int dst_stride;

  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    return surface;
  derm_image_copy_rgba (image, rgba, stride);
  cairo_surface_flush (surface);
  dst = cairo_image_surface_get_data (surface);
  dst_stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < h; y++)
    {
      const guint8 *src = rgba + (gsize) y * stride;
      guint32 *row = (guint32 *) (void *) (dst + (gsize) y * dst_stride);

      for (int x = 0; x < w; x++)
        {
          guint32 a = src[4 * x + 3];
          guint32 r = (src[4 * x + 0] * a + 255 * (255 - a) + 127) / 255;
          guint32 g = (src[4 * x + 1] * a + 255 * (255 - a) + 127) / 255;
          guint32 b = (src[4 * x + 2] * a + 255 * (255 - a) + 127) / 255;

          row[x] = 0xff000000u | (r << 16) | (g << 8) | b;
        }
    }
  cairo_surface_mark_dirty (surface);
  return surface;
}

/* Attaches @surface's pixels as JPEG (quality 90), which the PDF embeds
 * as it is: a photo is stored a tenth of the size and written without
 * deflating it. Call it last: drawing on the surface drops it again. */
static void
attach_jpeg (cairo_surface_t *surface)
{
  struct jpeg_compress_struct c;
  struct jpeg_error_mgr jerr;
  unsigned char *data = NULL;
  unsigned long size = 0;
  int w = cairo_image_surface_get_width (surface), h = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  const guint8 *pixels;
  g_autofree guint8 *row = g_malloc ((gsize) w * 3);

  cairo_surface_flush (surface);
  pixels = cairo_image_surface_get_data (surface);
  c.err = jpeg_std_error (&jerr);
  jpeg_create_compress (&c);
  jpeg_mem_dest (&c, &data, &size);
  c.image_width = (JDIMENSION) w;
  c.image_height = (JDIMENSION) h;
  c.input_components = 3;
  c.in_color_space = JCS_RGB;
  jpeg_set_defaults (&c);
  jpeg_set_quality (&c, 90, TRUE);
  jpeg_start_compress (&c, TRUE);
  while (c.next_scanline < c.image_height)
    {
      const guint32 *src = (const guint32 *) (const void *) (pixels + (gsize) c.next_scanline * stride);
      JSAMPROW rows[1] = { row };

      for (int x = 0; x < w; x++)
        {
          row[3 * x + 0] = (src[x] >> 16) & 0xff;
          row[3 * x + 1] = (src[x] >> 8) & 0xff;
          row[3 * x + 2] = src[x] & 0xff;
        }
      jpeg_write_scanlines (&c, rows, 1);
    }
  jpeg_finish_compress (&c);
  jpeg_destroy_compress (&c);
  if (cairo_surface_set_mime_data (surface, CAIRO_MIME_TYPE_JPEG, data, size, free, data) != CAIRO_STATUS_SUCCESS)
    free (data);
}

static DermImage *
decode_reduced (BuildData  *d,
                DermPhoto  *photo,
                int        *full_width,
                GError    **error)
{
  g_autofree char *path = derm_photo_library_get_original_path (d->library, derm_photo_get_sha256 (photo));

  return derm_photo_decode_file (path, derm_photo_format_from_mime (derm_photo_get_mime_type (photo)),
                                 DERM_PROGRESS_REPORT_PHOTO_SIDE, full_width, NULL, error);
}

static void
draw_legend (cairo_t  *cr,
             double    width,
             double    height,
             gpointer  user_data)
{
  const DermMapLegend *legend = user_data;
  double range = legend->value_max - legend->value_min;
  double bar_w = MIN (width - 24, 260), x0 = 12, y0 = 2, bar_h = 8;
  cairo_pattern_t *gradient = cairo_pattern_create_linear (x0, 0, x0 + bar_w, 0);

  for (guint i = 0; i < DERM_MAP_N_TICKS; i++)
    {
      double offset = range > 0 ? (legend->ticks[i] - legend->value_min) / range : (double) i / (DERM_MAP_N_TICKS - 1);

      cairo_pattern_add_color_stop_rgb (gradient, CLAMP (offset, 0, 1), legend->tick_rgba[i][0] / 255.0,
                                        legend->tick_rgba[i][1] / 255.0, legend->tick_rgba[i][2] / 255.0);
    }
  cairo_rectangle (cr, x0, y0, bar_w, bar_h);
  cairo_set_source (cr, gradient);
  cairo_fill_preserve (cr);
  cairo_pattern_destroy (gradient);
  cairo_set_source_rgb (cr, 0.5, 0.5, 0.5);
  cairo_set_line_width (cr, 0.5);
  cairo_stroke (cr);
  for (guint i = 0; i < DERM_MAP_N_TICKS; i++)
    {
      double offset = range > 0 ? (legend->ticks[i] - legend->value_min) / range : (double) i / (DERM_MAP_N_TICKS - 1);
      g_autofree char *text = derm_format_signed (legend->ticks[i], 0);

      cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
      show_centred (cr, DERM_DOCUMENT_FONT " 6.5", text, x0 + bar_w * CLAMP (offset, 0, 1), y0 + bar_h + 1);
    }
}

typedef struct
{
  DermPhoto *before;
  DermPhoto *after;     /* NULL: one photo only */
  const DermTrendPoint *before_point;
  const DermTrendPoint *after_point;
} ViewPair;

/* "Before", and under it "10 January 2024 · Session 1" */
static char *
photo_caption (const char           *role,
               const DermTrendPoint *point)
{
  g_autofree char *date = display_date (point->date);

  if (point->session_number > 0)
    /* TRANSLATORS: "Before", a line break, "10 January 2024 · Session 1" */
    return g_strdup_printf (_("%s\n%s · Session %d"), role, date, point->session_number);
  return g_strdup_printf ("%s\n%s", role, date);
}

/* The photos of a view: the first alone, or the first, the last aligned
 * onto it and the change map over the last; each outlined with every
 * region measured, as placed on the first */
static gboolean
add_view_photos (BuildData     *d,
                 DermDocument  *doc,
                 const ViewPair *pair,
                 GPtrArray     *placed,
                 GCancellable  *cancellable,
                 GError       **error)
{
  DermImage *before = NULL, *after = NULL;
  DermAlignment *alignment = NULL;
  DermMap *map = NULL;
  cairo_surface_t *surfaces[3] = { NULL, NULL, NULL };
  char *captions[3] = { NULL, NULL, NULL };
  g_autofree char *refused = NULL;
  DermMapLegend legend;
  DermError err;
  int full_width = 0;
  double scale;
  guint n = 0;
  gboolean ok = FALSE;

  before = decode_reduced (d, pair->before, &full_width, error);
  if (before == NULL)
    return FALSE;
  scale = full_width > 0 ? (double) derm_image_get_width (before) / full_width : 1.0;
  surfaces[n] = surface_from_image (before);
  captions[n++] = photo_caption (_("Before"), pair->before_point);

  if (pair->after != NULL)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          (after = decode_reduced (d, pair->after, NULL, error)) == NULL)
        goto out;
      DermAlignOptions options;

      /* The photos are small: fewer features find the same transform */
      derm_align_options_init (&options);
      options.work_side = DERM_PROGRESS_REPORT_PHOTO_SIDE;
      options.max_features = 2000;
      if (derm_align (before, after, &options, &alignment, &err) != DERM_STATUS_OK)
        {
          refused = derm_imaging_error_message (&err);
          surfaces[n] = surface_from_image (after);
          captions[n++] = photo_caption (_("After, as taken"), pair->after_point);
        }
      else
        {
          const DermImage *warped = derm_alignment_get_warped (alignment);
          DermAnalysisSettings settings = d->settings;
          DermRoi roi = { .kind = DERM_ROI_WHOLE };

          surfaces[n] = surface_from_image (warped);
          captions[n++] = photo_caption (_("After, aligned"), pair->after_point);
          settings.patch_x = (int) lround (settings.patch_x * scale);
          settings.patch_y = (int) lround (settings.patch_y * scale);
          settings.patch_width = MAX (1, (int) lround (settings.patch_width * scale));
          settings.patch_height = MAX (1, (int) lround (settings.patch_height * scale));
          for (guint i = 0; i < G_N_ELEMENTS (settings.chart_corners); i++)
            settings.chart_corners[i] *= scale;
          if (derm_map_new_difference (before, warped, &roi, &settings, &map, &err) == DERM_STATUS_OK)
            {
              int w, h;
              size_t stride;
              const guint8 *rgba = derm_map_get_rgba (map, &w, &h, &stride);
              g_autoptr (GBytes) bytes = g_bytes_new_static (rgba, stride * h);
              cairo_surface_t *overlay = derm_cairo_surface_from_rgba (bytes, w, h, stride);
              cairo_surface_t *combined = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
              cairo_t *cr = cairo_create (combined);

              cairo_set_source_surface (cr, surfaces[n - 1], 0, 0);
              cairo_paint (cr);
              cairo_set_source_surface (cr, overlay, 0, 0);
              cairo_paint_with_alpha (cr, MAP_OPACITY);
              cairo_destroy (cr);
              cairo_surface_destroy (overlay);
              derm_map_get_legend (map, &legend);
              surfaces[n] = combined;
              captions[n++] = g_strdup (_("Change in redness (a*)"));
            }
          else
            refused = derm_imaging_error_message (&err);
        }
    }

  /* Every region measured, as placed on the first photo (a region drawn
   * on another photo was mapped onto it), on it and on the map */
  for (guint r = 0; placed != NULL && r < placed->len; r++)
    {
      DermRegion *region = g_ptr_array_index (placed, r);

      if (region == NULL ||
          g_strcmp0 (derm_region_get_frame_sha256 (region), derm_photo_get_sha256 (pair->before)) != 0)
        continue;
      for (guint i = 0; i < n; i += 2)   /* the before photo and the map */
        {
          cairo_t *cr = cairo_create (surfaces[i]);

          derm_comparison_export_outline_region (cr, region, scale);
          cairo_destroy (cr);
        }
    }

  for (guint i = 0; i < n; i++)
    attach_jpeg (surfaces[i]);
  derm_document_add_images (doc, surfaces, (const char **) captions, n, PHOTO_HEIGHT);
  if (map != NULL)
    {
      g_autofree char *description = derm_map_legend_describe_difference (&legend);

      derm_document_add_drawing (doc, 20, draw_legend, g_memdup2 (&legend, sizeof legend), g_free);
      derm_document_add_note (doc, description);
    }
  if (refused != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("No change map: %s"), refused);

      derm_document_add_note (doc, text);
    }
  d->n_photos += n == 3 ? 2 : n;
  g_ptr_array_add (d->photos, g_object_ref (pair->before));
  if (pair->after != NULL)
    g_ptr_array_add (d->photos, g_object_ref (pair->after));
  ok = TRUE;

out:
  for (guint i = 0; i < G_N_ELEMENTS (surfaces); i++)
    {
      g_clear_pointer (&surfaces[i], cairo_surface_destroy);
      g_free (captions[i]);
    }
  derm_map_free (map);
  derm_alignment_free (alignment);
  derm_image_free (after);
  derm_image_free (before);
  return ok;
}

/* --- metrics and trends -------------------------------------------------- */

typedef struct
{
  DermTrend *trends[G_N_ELEMENTS (charted)];
} Charts;

static void
charts_free (gpointer data)
{
  Charts *c = data;

  for (guint i = 0; i < G_N_ELEMENTS (c->trends); i++)
    g_clear_object (&c->trends[i]);
  g_free (c);
}

static void
draw_charts (cairo_t  *cr,
             double    width,
             double    height,
             gpointer  user_data)
{
  Charts *c = user_data;
  guint n = G_N_ELEMENTS (c->trends);
  double gap = 10, w = (width - gap * (n - 1)) / n;

  for (guint i = 0; i < n; i++)
    {
      cairo_save (cr);
      cairo_translate (cr, i * (w + gap), 0);
      cairo_rectangle (cr, 0, 0, w, height);
      cairo_clip (cr);
      cairo_scale (cr, CHART_SCALE, CHART_SCALE);
      derm_trend_draw (c->trends[i], cr, NULL, (int) (w / CHART_SCALE), (int) (height / CHART_SCALE), -1);
      cairo_restore (cr);
      cairo_set_source_rgb (cr, 0.8, 0.8, 0.82);
      cairo_set_line_width (cr, 0.5);
      cairo_rectangle (cr, i * (w + gap) + 0.25, 0.25, w - 0.5, height - 0.5);
      cairo_stroke (cr);
    }
}

/* One region's statements, trend charts and settings line */
static void
add_region (BuildData    *d,
            DermDocument *doc,
            DermTrend    *trend,
            DermRegion   *region)
{
  guint n = derm_trend_get_n_points (trend);
  const DermTrendPoint *last = derm_trend_get_point (trend, n - 1);
  g_autofree char *settings_label = derm_analysis_settings_describe (&d->settings);
  Charts *charts;

  derm_document_add_heading (doc, region != NULL ? derm_region_get_name (region) : _("Whole photo"));
  if (last->metrics == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The last photo could not be compared with the first: %s"),
                                               last->problem != NULL ? last->problem : _("no value"));

      derm_document_add_paragraph (doc, text);
    }
  else
    {
      g_autofree char *notes = derm_compare_metrics_dup_notes (last->metrics);
      g_autofree char *line = NULL;
      g_autoptr (GString) statements = g_string_new (NULL);

      if (*notes != '\0')
        derm_document_add_paragraph (doc, notes);
      for (guint i = 0; i < DERM_METRIC_TEXT_N_SHOWN; i++)
        {
          g_autofree char *statement = derm_compare_metrics_dup_statement (last->metrics, derm_metric_text_shown[i]);

          g_string_append_printf (statements, "%s%s", statements->len > 0 ? "\n" : "", statement);
        }
      derm_document_add_paragraph (doc, statements->str);
      line = derm_compare_metrics_dup_settings_line (last->metrics, region != NULL ? derm_region_get_name (region) : NULL,
                                                     settings_label, FALSE);
      derm_document_add_note (doc, line);
    }

  charts = g_new0 (Charts, 1);
  for (guint i = 0; i < G_N_ELEMENTS (charted); i++)
    charts->trends[i] = derm_trend_get_metric (trend) == charted[i] ? g_object_ref (trend)
                                                                     : derm_trend_copy_with_metric (trend, charted[i]);
  derm_document_add_drawing (doc, CHART_HEIGHT, draw_charts, charts, charts_free);
}

static void
unref_nullable (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

/* One view: FALSE with @error on a failure that ends the report; a view
 * without photos in the period adds nothing (or a line when asked for) */
static gboolean
add_view (BuildData     *d,
          DermDocument  *doc,
          DermPhotoView  view,
          double         progress_from,
          double         progress_to,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr (GPtrArray) regions = derm_store_list_regions (d->store, d->client_id, view, error);
  /* Per region (or the whole photo when the view has none): its trend, or
   * why the region cannot be placed on the period's first photo */
  g_autoptr (GPtrArray) trends = g_ptr_array_new_with_free_func (unref_nullable);
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  guint n_regions;
  ViewPair pair = { 0 };
  DermTrend *first = NULL;

  if (regions == NULL)
    return FALSE;
  n_regions = MAX (regions->len, 1);
  for (guint r = 0; r < n_regions; r++)
    {
      DermRegion *region = regions->len > 0 ? g_ptr_array_index (regions, r) : NULL;
      g_autoptr (DermTrend) trend = derm_trend_new (d->library, d->client_id, view, region, charted[0], &d->settings);
      g_autoptr (GError) local = NULL;

      derm_trend_set_date_range (trend, d->from, d->to);
      if (!derm_trend_compute (trend, cancellable, &local))
        {
          if (g_error_matches (local, DERM_COMPARISON_ERROR, DERM_COMPARISON_ERROR_NOT_READY))
            {
              /* No photo of this view in the period */
              if (d->view != DERM_PROGRESS_REPORT_ALL_VIEWS)
                {
                  g_autofree char *text = g_strdup_printf (_("No %s photos in this period."),
                                                           derm_photo_view_to_label (view));

                  derm_document_add_heading (doc, derm_photo_view_to_label (view));
                  derm_document_add_paragraph (doc, text);
                }
              return TRUE;
            }
          /* A region that cannot be placed on this period's first photo
           * is said so in its place; anything else ends the report */
          if (!g_error_matches (local, DERM_COMPARISON_ERROR, DERM_COMPARISON_ERROR_ALIGNMENT_REFUSED) &&
              !g_error_matches (local, DERM_COMPARISON_ERROR, DERM_COMPARISON_ERROR_PHOTO_REMOVED))
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
          g_ptr_array_add (trends, NULL);
          g_ptr_array_add (problems, g_strdup (local->message));
        }
      else
        {
          if (first == NULL)
            first = trend;
          g_ptr_array_add (trends, g_steal_pointer (&trend));
          g_ptr_array_add (problems, NULL);
        }
      report_progress (d, progress_from + (progress_to - progress_from) * 0.6 * (r + 1) / n_regions);
    }

  d->n_views++;
  derm_document_add_heading (doc, derm_photo_view_to_label (view));
  if (first != NULL)
    {
      guint n = derm_trend_get_n_points (first);

      pair.before_point = derm_trend_get_point (first, 0);
      pair.before = pair.before_point->photo;
      if (n > 1)
        {
          pair.after_point = derm_trend_get_point (first, n - 1);
          pair.after = pair.after_point->photo;
        }
      {
        g_autoptr (GPtrArray) placed = g_ptr_array_new ();

        for (guint r = 0; r < trends->len; r++)
          {
            DermTrend *trend = g_ptr_array_index (trends, r);

            g_ptr_array_add (placed, trend != NULL ? derm_trend_get_placed_region (trend) : NULL);
          }
        if (!add_view_photos (d, doc, &pair, placed, cancellable, error))
          return FALSE;
      }
      report_progress (d, progress_from + (progress_to - progress_from) * 0.9);
      if (pair.after == NULL)
        {
          g_autofree char *text = g_strdup_printf (_("Only one %s photo in this period: there is no change to show yet."),
                                                   derm_photo_view_to_label (view));

          derm_document_add_paragraph (doc, text);
          return TRUE;
        }
    }
  for (guint r = 0; r < trends->len; r++)
    {
      DermRegion *region = regions->len > 0 ? g_ptr_array_index (regions, r) : NULL;
      const char *problem = g_ptr_array_index (problems, r);

      if (problem != NULL)
        {
          derm_document_add_heading (doc, derm_region_get_name (region));
          derm_document_add_paragraph (doc, problem);
          continue;
        }
      add_region (d, doc, g_ptr_array_index (trends, r), region);
    }
  return TRUE;
}

static void
add_footnote (BuildData    *d,
              DermDocument *doc)
{
  g_autofree char *settings = derm_analysis_settings_describe (&d->settings);
  g_autofree char *key = derm_analysis_settings_to_key (&d->settings);
  g_autoptr (GString) thresholds = g_string_new (NULL);
  g_autofree char *text = NULL;

  for (guint i = 0; i < DERM_METRIC_TEXT_N_SHOWN; i++)
    {
      const DermMetricInfo *info = derm_metric_get_info (derm_metric_text_shown[i]);
      g_autofree char *threshold = derm_format_threshold (info->clear_change);

      if (info->clear_change <= 0)
        continue;
      g_string_append_printf (thresholds, "%s%s ±%s", thresholds->len > 0 ? "; " : "", info->label, threshold);
    }
  /* TRANSLATORS: settings described; thresholds; settings key; algorithm version; app and version */
  text = g_strdup_printf (_("How these figures were made: %s. Each later photo is aligned onto the first photo of the "
                            "period and both are measured over the same skin. A change smaller than its threshold "
                            "is reported as no clear change, never as an improvement (%s). Texture is not judged "
                            "when one photo is much softer or sharper than the other. Settings %s; algorithm "
                            "version %d; %s."),
                          settings, thresholds->str, key, DERM_IMAGING_ALGORITHM_VERSION,
                          PACKAGE_NAME " " PACKAGE_VERSION);
  derm_document_add_note (doc, text);
}

static DermDocument *
build (BuildData     *d,
       GCancellable  *cancellable,
       GError       **error)
{
  g_autoptr (DermClient) client = NULL;
  g_autoptr (DermDocument) doc = NULL;
  g_autofree char *report_iso = NULL;
  g_autofree char *report_text = NULL;
  g_autofree char *period = NULL;
  GDate report_day;
  DermPhotoView views[DERM_N_PHOTO_VIEWS];
  guint n_views = 0;

  if (!check_date (d->from, DATE_START, error) || !check_date (d->to, DATE_END, error))
    return NULL;
  if (d->from != NULL && d->to != NULL && strcmp (d->from, d->to) > 0)
    {
      g_set_error (error, DERM_VALIDATION_ERROR, DERM_VALIDATION_ERROR_INVALID,
                   _("The period starts on %s, after it ends on %s. Swap the dates."), d->from, d->to);
      return NULL;
    }
  if (!check_date (d->today, DATE_REPORT, error))
    return NULL;
  client = derm_store_get_client (d->store, d->client_id, error);
  if (client == NULL)
    return NULL;

  if (d->to != NULL)
    report_iso = g_strdup (d->to);
  else if (d->today != NULL)
    report_iso = g_strdup (d->today);
  else
    {
      GDate today;

      derm_date_today (&today);
      report_iso = derm_date_format (&today);
    }
  derm_date_parse (report_iso, &report_day);
  report_text = display_date (report_iso);

  doc = derm_document_new (_("Progress report"), report_text);
  if (!derm_document_load_letterhead (doc, d->store, error))
    return NULL;
  derm_document_add_field (doc, _("Client"), derm_client_get_name (client));
  {
    const char *birth = derm_client_get_date_of_birth (client);
    g_autofree char *birth_text = birth != NULL && *birth != '\0' ? display_date (birth) : NULL;

    derm_document_add_field (doc, _("Date of birth"), birth_text);
  }
  if (d->from != NULL)
    {
      g_autofree char *from_text = display_date (d->from);

      /* TRANSLATORS: the period of a report: "10 January 2024 to 15 March 2024" */
      period = g_strdup_printf (_("%s to %s"), from_text, report_text);
    }
  else
    /* TRANSLATORS: the period of a report without a start date */
    period = g_strdup_printf (_("Up to %s"), report_text);
  derm_document_add_field (doc, _("Period"), period);

  if (!add_series (d, doc, &report_day, error))
    return NULL;
  report_progress (d, 0.05);

  if (d->view == DERM_PROGRESS_REPORT_ALL_VIEWS)
    for (int v = 0; v < DERM_N_PHOTO_VIEWS; v++)
      views[n_views++] = (DermPhotoView) v;
  else
    views[n_views++] = (DermPhotoView) d->view;
  for (guint i = 0; i < n_views; i++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !add_view (d, doc, views[i], 0.05 + 0.9 * i / n_views, 0.05 + 0.9 * (i + 1) / n_views,
                     cancellable, error))
        return NULL;
      report_progress (d, 0.05 + 0.9 * (i + 1) / n_views);
    }
  if (d->n_views == 0 && d->view == DERM_PROGRESS_REPORT_ALL_VIEWS)
    derm_document_add_paragraph (doc, _("There are no photos in this period."));
  add_footnote (d, doc);
  return g_steal_pointer (&doc);
}

DermDocument *
derm_progress_report_build (DermProgressReport  *self,
                            GCancellable        *cancellable,
                            GError             **error)
{
  BuildData *d;
  DermDocument *doc;

  g_return_val_if_fail (DERM_IS_PROGRESS_REPORT (self), NULL);

  d = build_data_new (self);
  doc = build (d, cancellable, error);
  self->n_views = d->n_views;
  self->n_photos = d->n_photos;
  g_ptr_array_set_size (self->photos, 0);
  g_ptr_array_extend_and_steal (self->photos, g_steal_pointer (&d->photos));
  build_data_free (d);
  return doc;
}

static void
build_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;
  DermDocument *doc = build (task_data, cancellable, &error);

  if (doc == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, doc, g_object_unref);
}

static void
set_running (DermProgressReport *self,
             gboolean            running)
{
  if (self->running == running)
    return;
  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

void
derm_progress_report_build_async (DermProgressReport  *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  BuildData *d;

  g_return_if_fail (DERM_IS_PROGRESS_REPORT (self));
  g_return_if_fail (!self->running);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, derm_progress_report_build_async);
  d = build_data_new (self);
  d->self = g_object_ref (self);
  d->context = g_main_context_ref_thread_default ();
  g_task_set_task_data (task, d, build_data_free);
  self->progress = 0.0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
  set_running (self, TRUE);
  g_task_run_in_thread (task, build_thread);
}

DermDocument *
derm_progress_report_build_finish (DermProgressReport  *self,
                                   GAsyncResult        *result,
                                   GError             **error)
{
  BuildData *d;
  DermDocument *doc;

  g_return_val_if_fail (DERM_IS_PROGRESS_REPORT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  d = g_task_get_task_data (G_TASK (result));
  set_running (self, FALSE);
  doc = g_task_propagate_pointer (G_TASK (result), error);
  if (doc != NULL)
    {
      self->n_views = d->n_views;
      self->n_photos = d->n_photos;
      g_ptr_array_set_size (self->photos, 0);
      g_ptr_array_extend_and_steal (self->photos, g_steal_pointer (&d->photos));
      self->progress = 1.0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
    }
  return doc;
}
