/* derm-trend.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every value goes through the store's analysis cache with the same keys
 * DermComparison uses for an automatic alignment ("<after>:auto"), so a
 * trend over photos already compared costs no decoding, and a second
 * computation of the same trend none at all.
 */

#define G_LOG_DOMAIN "derm-trend"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cairo-svg.h>
#include <glib/gi18n.h>

#include "derm-chart-text.h"
#include "derm-comparison.h"
#include "derm-imaging-error.h"
#include "derm-photo-decode.h"
#include "derm-progress.h"
#include "derm-store-compare.h"
#include "derm-store-photos.h"
#include "derm-store.h"
#include "derm-treatment.h"
#include "derm-export-file.h"
#include "derm-trend.h"

struct _DermTrend
{
  GObject               parent_instance;

  DermPhotoLibrary     *library;
  gint64                client_id;
  DermPhotoView         view;
  DermRegion           *region;
  DermMetric            metric;
  DermAnalysisSettings  settings;
  char                 *from;     /* "YYYY-MM-DD" or NULL: photos from this day on */
  char                 *to;       /* ... up to this day */

  gboolean              computing;
  double                progress;
  guint                 n_computed;
  GPtrArray            *photos;   /* DermPhoto, what the points borrow */
  GArray               *points;   /* DermTrendPoint */
  DermRegion           *placed;   /* the region in the baseline's pixels, of the last compute */
  double                text_scale;   /* of the last drawing: hit tests use its layout */
};

G_DEFINE_FINAL_TYPE (DermTrend, derm_trend, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_COMPUTING,
  PROP_PROGRESS,
  PROP_POINTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
point_clear (gpointer data)
{
  DermTrendPoint *p = data;

  g_clear_pointer (&p->date, g_free);
  g_clear_pointer (&p->problem, g_free);
  g_clear_pointer (&p->metrics, g_free);
}

static GArray *
points_new (void)
{
  GArray *points = g_array_new (FALSE, TRUE, sizeof (DermTrendPoint));

  g_array_set_clear_func (points, point_clear);
  return points;
}

static void
derm_trend_finalize (GObject *object)
{
  DermTrend *self = (DermTrend *) object;

  g_clear_object (&self->library);
  g_clear_object (&self->region);
  g_clear_object (&self->placed);
  g_free (self->from);
  g_free (self->to);
  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->photos, g_ptr_array_unref);

  G_OBJECT_CLASS (derm_trend_parent_class)->finalize (object);
}

static void
derm_trend_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  DermTrend *self = DERM_TREND (object);

  switch (prop_id)
    {
    case PROP_COMPUTING:
      g_value_set_boolean (value, self->computing);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_POINTS:
      g_value_set_uint (value, self->points->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_trend_class_init (DermTrendClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = derm_trend_finalize;
  object_class->get_property = derm_trend_get_property;

  properties[PROP_COMPUTING] =
    g_param_spec_boolean ("computing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The number of points; notified whenever they are replaced */
  properties[PROP_POINTS] =
    g_param_spec_uint ("points", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
derm_trend_init (DermTrend *self)
{
  self->points = points_new ();
  self->text_scale = 1.0;
  self->photos = g_ptr_array_new_with_free_func (g_object_unref);
  derm_analysis_settings_init (&self->settings);
}

DermTrend *
derm_trend_new (DermPhotoLibrary           *library,
                gint64                      client_id,
                DermPhotoView               view,
                DermRegion                 *region,
                DermMetric                  metric,
                const DermAnalysisSettings *settings)
{
  DermTrend *self;

  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (library), NULL);
  g_return_val_if_fail (region == NULL || DERM_IS_REGION (region), NULL);
  g_return_val_if_fail ((guint) metric < DERM_N_METRICS, NULL);

  self = g_object_new (DERM_TYPE_TREND, NULL);
  self->library = g_object_ref (library);
  self->client_id = client_id;
  self->view = view;
  self->region = region != NULL ? derm_region_copy (region, TRUE) : NULL;
  self->metric = metric;
  if (settings != NULL)
    self->settings = *settings;
  return self;
}

void
derm_trend_set_date_range (DermTrend  *self,
                           const char *from,
                           const char *to)
{
  g_return_if_fail (DERM_IS_TREND (self));

  g_free (self->from);
  self->from = g_strdup (from);
  g_free (self->to);
  self->to = g_strdup (to);
}

DermMetric
derm_trend_get_metric (DermTrend *self)
{
  g_return_val_if_fail (DERM_IS_TREND (self), DERM_METRIC_A_MEAN);
  return self->metric;
}

DermRegion *
derm_trend_get_region (DermTrend *self)
{
  g_return_val_if_fail (DERM_IS_TREND (self), NULL);
  return self->region;
}

gboolean
derm_trend_get_computing (DermTrend *self)
{
  g_return_val_if_fail (DERM_IS_TREND (self), FALSE);
  return self->computing;
}

double
derm_trend_get_progress (DermTrend *self)
{
  g_return_val_if_fail (DERM_IS_TREND (self), 0.0);
  return self->progress;
}

guint
derm_trend_get_n_computed (DermTrend *self)
{
  g_return_val_if_fail (DERM_IS_TREND (self), 0);
  return self->n_computed;
}

guint
derm_trend_get_n_points (DermTrend *self)
{
  g_return_val_if_fail (DERM_IS_TREND (self), 0);
  return self->points->len;
}

const DermTrendPoint *
derm_trend_get_point (DermTrend *self,
                      guint      index)
{
  g_return_val_if_fail (DERM_IS_TREND (self), NULL);
  g_return_val_if_fail (index < self->points->len, NULL);
  return &g_array_index (self->points, DermTrendPoint, index);
}

/* ------------------------------------------------------------ computing */

static void
apply_progress (GObject *object,
                double   progress)
{
  DermTrend *self = DERM_TREND (object);

  if (self->computing && self->progress != progress)
    {
      self->progress = progress;
      g_object_notify_by_pspec (object, properties[PROP_PROGRESS]);
    }
}

typedef struct
{
  DermTrend            *self;
  GMainContext         *context;
  DermStore            *store;
  DermPhotoLibrary     *library;
  gint64                client_id;
  DermPhotoView         view;
  DermRegion           *region;
  DermMetric            metric;
  DermAnalysisSettings  settings;
  char                 *from;
  char                 *to;
  GPtrArray            *treatments;
  /* results */
  GPtrArray            *photos;
  GArray               *points;
  DermRegion           *placed;
  guint                 n_computed;
} TrendData;

static void
trend_data_free (gpointer data)
{
  TrendData *d = data;

  g_clear_object (&d->self);
  g_clear_pointer (&d->context, g_main_context_unref);
  g_clear_object (&d->store);
  g_clear_object (&d->library);
  g_clear_object (&d->region);
  g_free (d->from);
  g_free (d->to);
  g_clear_pointer (&d->treatments, g_ptr_array_unref);
  g_clear_pointer (&d->photos, g_ptr_array_unref);
  g_clear_pointer (&d->points, g_array_unref);
  g_clear_object (&d->placed);
  g_free (d);
}

static void
report_progress (TrendData *d,
                 double     progress)
{
  /* No context in derm_trend_compute (): no one to tell */
  derm_progress_post (d->context, G_OBJECT (d->self), apply_progress, progress);
}

static DermImage *
decode_photo (TrendData  *d,
              DermPhoto  *photo,
              GError    **error)
{
  g_autofree char *path = derm_photo_library_get_original_path (d->library, derm_photo_get_sha256 (photo));

  return derm_photo_decode_file (path, derm_photo_format_from_mime (derm_photo_get_mime_type (photo)),
                                 0, NULL, NULL, error);
}

static int
trend_session_number (TrendData *d,
                      DermPhoto *photo)
{
  gint64 id = derm_photo_get_treatment_id (photo);

  if (id == 0 || d->treatments == NULL)
    return 0;
  for (guint i = 0; i < d->treatments->len; i++)
    if (derm_treatment_get_id (g_ptr_array_index (d->treatments, i)) == id)
      return (int) (d->treatments->len - i);
  return 0;
}

static char *
photo_date (DermPhoto *photo)
{
  const char *date = derm_photo_get_session_date (photo);

  if (date == NULL)
    date = derm_photo_get_captured_at (photo);
  if (date == NULL)
    date = derm_photo_get_imported_at (photo);
  return g_strndup (date != NULL ? date : "", 10);
}

/* Reads the key's cached metrics into @out; FALSE when there are none */
static gboolean
lookup (TrendData             *d,
        const DermAnalysisKey *key,
        DermCompareMetrics    *out)
{
  g_autofree char *json = derm_store_lookup_analysis (d->store, key, NULL);

  return json != NULL && derm_compare_metrics_from_json (json, out, NULL)
         && out->algorithm_version == DERM_IMAGING_ALGORITHM_VERSION;
}

static void
save (TrendData               *d,
      const DermAnalysisKey   *key,
      const DermCompareMetrics *metrics)
{
  g_autofree char *json = derm_compare_metrics_to_json (metrics);
  g_autoptr (GError) error = NULL;

  if (!derm_store_save_analysis (d->store, key, json, &error))
    g_warning ("Analysis not cached: %s", error->message);
}

/* The client's photos of the view within the date range, oldest first */
static GPtrArray *
list_photos (TrendData  *d,
             GError    **error)
{
  GPtrArray *photos = derm_comparison_list_same_view (d->library, d->client_id, d->view, error);

  if (photos == NULL || (d->from == NULL && d->to == NULL))
    return photos;
  for (guint i = photos->len; i-- > 0;)
    {
      g_autofree char *date = photo_date (g_ptr_array_index (photos, i));

      if ((d->from != NULL && strcmp (date, d->from) < 0) || (d->to != NULL && strcmp (date, d->to) > 0))
        g_ptr_array_remove_index (photos, i);
    }
  return photos;
}

static gboolean
trend_run (TrendData     *d,
           GCancellable  *cancellable,
           GError       **out_error)
{
  g_autoptr (DermRegion) region = NULL;   /* in the baseline frame */
  g_autoptr (GArray) storage = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *settings_key = derm_analysis_settings_to_key (&d->settings);
  g_autofree char *region_hash = NULL;
  DermImage *baseline_image = NULL;
  DermPhoto *baseline;
  DermRoi roi = { .kind = DERM_ROI_WHOLE };
  GError *error = NULL;

  d->photos = list_photos (d, out_error);
  if (d->photos == NULL)
    return FALSE;
  if (d->photos->len == 0)
    {
      g_set_error (out_error, DERM_COMPARISON_ERROR, DERM_COMPARISON_ERROR_NOT_READY,
                   _("This client has no %s photos yet"), derm_photo_view_to_label (d->view));
      return FALSE;
    }
  d->treatments = derm_store_list_treatments (d->store, d->client_id, NULL);
  baseline = g_ptr_array_index (d->photos, 0);

#define NEED_BASELINE()                                                       \
  G_STMT_START {                                                              \
    if (baseline_image == NULL                                                \
        && (baseline_image = decode_photo (d, baseline, &error)) == NULL)     \
      goto failed;                                                            \
  } G_STMT_END

  /* The region in the baseline's pixels */
  if (d->region != NULL)
    {
      const char *frame = derm_region_get_frame_sha256 (d->region);

      if (frame == NULL || g_strcmp0 (frame, derm_photo_get_sha256 (baseline)) == 0)
        {
          region = g_object_ref (d->region);
          region_hash = derm_region_dup_geometry_hash (region);
        }
      else
        {
          g_autoptr (DermPhoto) frame_photo = derm_store_find_photo (d->store, d->client_id, frame, NULL);
          g_autofree char *hash = derm_region_dup_geometry_hash (d->region);
          DermImage *frame_image;
          DermAlignment *al = NULL;
          DermAlignmentResult r;
          DermError err;

          if (frame_photo == NULL)
            {
              g_set_error_literal (&error, DERM_COMPARISON_ERROR, DERM_COMPARISON_ERROR_PHOTO_REMOVED,
                                   _("The photo this region was drawn on is no longer there; draw it again"));
              goto failed;
            }
          NEED_BASELINE ();
          frame_image = decode_photo (d, frame_photo, &error);
          if (frame_image == NULL)
            goto failed;
          if (derm_align (baseline_image, frame_image, NULL, &al, &err) != DERM_STATUS_OK)
            {
              derm_image_free (frame_image);
              g_autofree char *message = derm_imaging_error_message (&err);

              g_set_error (&error, DERM_COMPARISON_ERROR, DERM_COMPARISON_ERROR_ALIGNMENT_REFUSED,
                           _("The region cannot be placed on the first photo: %s"), message);
              goto failed;
            }
          derm_image_free (frame_image);
          derm_alignment_get_result (al, &r);
          derm_alignment_free (al);
          region = derm_region_map (d->region, r.h, derm_photo_get_sha256 (baseline));
          /* The mapping is a function of the two photos: key by them */
          region_hash = g_strdup_printf ("%s@%.16s>%.16s", hash, frame, derm_photo_get_sha256 (baseline));
        }
      derm_region_to_roi (region, 1.0, storage, &roi);
      d->placed = g_object_ref (region);
    }

  d->points = points_new ();
  for (guint i = 0; i < d->photos->len; i++)
    {
      DermPhoto *photo = g_ptr_array_index (d->photos, i);
      DermTrendPoint point = { 0 };
      DermCompareMetrics metrics;
      g_autofree char *pair = NULL;
      DermAnalysisKey key = { 0 };
      DermError err;

      if (g_cancellable_set_error_if_cancelled (cancellable, &error))
        goto failed;

      point.photo = photo;
      point.date = photo_date (photo);
      point.session_number = trend_session_number (d, photo);
      point.value = NAN;

      key.sha256 = derm_photo_get_sha256 (baseline);
      key.region_hash = region_hash != NULL ? region_hash : "";
      key.settings = settings_key;
      key.algorithm_version = DERM_IMAGING_ALGORITHM_VERSION;
      if (i == 0)
        key.pair = "";
      else
        key.pair = pair = g_strdup_printf ("%s:auto", derm_photo_get_sha256 (photo));

      if (lookup (d, &key, &metrics))
        {
          point.aligned = TRUE;
          point.value = derm_metric_values_get (i == 0 ? &metrics.before : &metrics.after, d->metric);
          point.metrics = g_memdup2 (&metrics, sizeof metrics);
          if (i > 0)
            point.texture_gate = derm_compare_metrics_get_sharpness_gate (&metrics);
        }
      else if (i == 0)
        {
          DermAnalysis *a = NULL;

          NEED_BASELINE ();
          if (derm_analyze (baseline_image, &roi, &d->settings, &a, &err) != DERM_STATUS_OK)
            {
              g_autofree char *message = derm_imaging_error_message (&err);

              g_set_error_literal (&error, DERM_COMPARISON_ERROR, DERM_COMPARISON_ERROR_IMAGING, message);
              goto failed;
            }
          /* A single photo is cached as a pair of itself */
          memset (&metrics, 0, sizeof metrics);
          metrics.algorithm_version = derm_analysis_get_algorithm_version (a);
          derm_analysis_get_settings (a, &metrics.settings);
          metrics.pixel_count = derm_analysis_get_pixel_count (a);
          derm_analysis_get_wb_gains (a, metrics.wb_gains_before);
          derm_analysis_get_wb_gains (a, metrics.wb_gains_after);
          derm_metric_values_from_analysis (a, &metrics.before);
          metrics.after = metrics.before;
          derm_analysis_get_quality (a, &metrics.quality_before);
          metrics.quality_after = metrics.quality_before;
          derm_analysis_get_colour_matrix (a, metrics.matrix_before);
          memcpy (metrics.matrix_after, metrics.matrix_before, sizeof metrics.matrix_after);
          metrics.geometry.scale = metrics.geometry.common_scale = 1.0;
          derm_analysis_free (a);
          d->n_computed++;
          save (d, &key, &metrics);
          point.aligned = TRUE;
          point.value = derm_metric_values_get (&metrics.before, d->metric);
          point.metrics = g_memdup2 (&metrics, sizeof metrics);
        }
      else
        {
          DermImage *image;
          DermAlignment *al = NULL;
          DermAlignmentResult alignment;
          g_autoptr (GError) local = NULL;

          NEED_BASELINE ();
          image = decode_photo (d, photo, &local);
          if (image == NULL)
            point.problem = g_strdup (local->message);
          else if (derm_align (baseline_image, image, NULL, &al, &err) != DERM_STATUS_OK)
            point.problem = derm_imaging_error_message (&err);
          else if ((derm_alignment_get_result (al, &alignment),
                    derm_compare_metrics_compute (baseline_image, image, alignment.h, &roi,
                                                  &d->settings, &metrics, &err)) != DERM_STATUS_OK)
            point.problem = derm_imaging_error_message (&err);
          else
            {
              d->n_computed++;
              save (d, &key, &metrics);
              point.aligned = TRUE;
              point.value = derm_metric_values_get (&metrics.after, d->metric);
              point.metrics = g_memdup2 (&metrics, sizeof metrics);
              point.texture_gate = derm_compare_metrics_get_sharpness_gate (&metrics);
            }
          derm_alignment_free (al);
          derm_image_free (image);
        }
      g_array_append_val (d->points, point);
      report_progress (d, (double) (i + 1) / d->photos->len);
    }
#undef NEED_BASELINE

  derm_image_free (baseline_image);
  return TRUE;

failed:
  derm_image_free (baseline_image);
  g_propagate_error (out_error, error);
  return FALSE;
}

static void
trend_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;

  if (trend_run (task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static TrendData *
trend_data_new (DermTrend *self)
{
  TrendData *d = g_new0 (TrendData, 1);

  d->store = g_object_ref (derm_photo_library_get_store (self->library));
  d->library = g_object_ref (self->library);
  d->client_id = self->client_id;
  d->view = self->view;
  d->region = self->region != NULL ? derm_region_copy (self->region, TRUE) : NULL;
  d->metric = self->metric;
  d->settings = self->settings;
  d->from = g_strdup (self->from);
  d->to = g_strdup (self->to);
  return d;
}

static void
take_results (DermTrend *self,
              TrendData *d)
{
  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->photos, g_ptr_array_unref);
  self->points = g_steal_pointer (&d->points);
  self->photos = g_steal_pointer (&d->photos);
  g_clear_object (&self->placed);
  self->placed = g_steal_pointer (&d->placed);
  self->n_computed = d->n_computed;
  self->progress = 1.0;
}

gboolean
derm_trend_compute (DermTrend     *self,
                    GCancellable  *cancellable,
                    GError       **error)
{
  TrendData *d;
  gboolean ok;

  g_return_val_if_fail (DERM_IS_TREND (self), FALSE);
  g_return_val_if_fail (!self->computing, FALSE);

  d = trend_data_new (self);
  ok = trend_run (d, cancellable, error);
  if (ok)
    take_results (self, d);
  trend_data_free (d);
  return ok;
}

DermTrend *
derm_trend_copy_with_metric (DermTrend  *self,
                             DermMetric  metric)
{
  DermTrend *copy;

  g_return_val_if_fail (DERM_IS_TREND (self), NULL);
  g_return_val_if_fail ((guint) metric < DERM_N_METRICS, NULL);

  copy = derm_trend_new (self->library, self->client_id, self->view, self->region, metric, &self->settings);
  derm_trend_set_date_range (copy, self->from, self->to);
  for (guint i = 0; i < self->photos->len; i++)
    g_ptr_array_add (copy->photos, g_object_ref (g_ptr_array_index (self->photos, i)));
  for (guint i = 0; i < self->points->len; i++)
    {
      const DermTrendPoint *p = &g_array_index (self->points, DermTrendPoint, i);
      DermTrendPoint q = *p;

      q.date = g_strdup (p->date);
      q.problem = g_strdup (p->problem);
      q.metrics = p->metrics != NULL ? g_memdup2 (p->metrics, sizeof *p->metrics) : NULL;
      if (p->metrics != NULL)
        q.value = derm_metric_values_get (i == 0 ? &p->metrics->before : &p->metrics->after, metric);
      g_array_append_val (copy->points, q);
    }
  copy->progress = 1.0;
  return copy;
}

static void
set_computing (DermTrend *self,
               gboolean   computing)
{
  if (self->computing == computing)
    return;
  self->computing = computing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPUTING]);
}

void
derm_trend_compute_async (DermTrend           *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  TrendData *d;

  g_return_if_fail (DERM_IS_TREND (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, derm_trend_compute_async);
  d = trend_data_new (self);
  d->self = g_object_ref (self);
  d->context = g_main_context_ref_thread_default ();
  g_task_set_task_data (task, d, trend_data_free);

  self->progress = 0.0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
  set_computing (self, TRUE);
  g_task_run_in_thread (task, trend_thread);
}

gboolean
derm_trend_compute_finish (DermTrend     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  TrendData *d;

  g_return_val_if_fail (DERM_IS_TREND (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  set_computing (self, FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  d = g_task_get_task_data (G_TASK (result));
  take_results (self, d);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POINTS]);
  return TRUE;
}

/* ------------------------------------------------------------ drawing */

typedef struct
{
  double left, right, top, bottom;   /* the plot area */
  double vmin, vmax;                 /* value range of the axis */
  double base, band;                 /* baseline value and its "no clear change" half-width; NAN/0: none */
  double tmin, tmax;                 /* days of the first and last point */
  double step;                       /* tick step of the value axis */
} Layout;

static double
point_day (const DermTrendPoint *p)
{
  int y, m, d;
  g_autoptr (GDateTime) dt = NULL;

  if (p->date == NULL || sscanf (p->date, "%4d-%2d-%2d", &y, &m, &d) != 3)
    return 0;
  dt = g_date_time_new_utc (y, m, d, 0, 0, 0);
  return dt != NULL ? (double) g_date_time_to_unix (dt) / 86400.0 : 0;
}

static double
nice_step (double range)
{
  double raw = range / 5.0, mag, f;

  if (!(raw > 0))
    return 1.0;
  mag = pow (10, floor (log10 (raw)));
  f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

static void
compute_layout (DermTrend *self,
                int        width,
                int        height,
                Layout    *l)
{
  gboolean any = FALSE;

  const double s = self->text_scale;

  /* Room for the text around the plot grows with the text size */
  l->left = 22 + 56 * s;
  l->right = width - 24;
  l->top = 58 * s;
  l->bottom = height - 64 * s;
  l->vmin = G_MAXDOUBLE;
  l->vmax = -G_MAXDOUBLE;
  l->tmin = G_MAXDOUBLE;
  l->tmax = -G_MAXDOUBLE;
  for (guint i = 0; i < self->points->len; i++)
    {
      const DermTrendPoint *p = &g_array_index (self->points, DermTrendPoint, i);
      double t = point_day (p);

      l->tmin = MIN (l->tmin, t);
      l->tmax = MAX (l->tmax, t);
      if (isfinite (p->value))
        {
          l->vmin = MIN (l->vmin, p->value);
          l->vmax = MAX (l->vmax, p->value);
          any = TRUE;
        }
    }
  if (!any)
    l->vmin = 0, l->vmax = 1;
  /* The baseline's "no clear change" band: the axis spans at least twice
   * the band's width around the baseline, so a change inside the band
   * never fills the chart (IMAGING.md, "When a change is a change"). */
  l->base = NAN;
  l->band = derm_metric_get_info (self->metric)->clear_change;
  for (guint i = 0; i < self->points->len; i++)
    {
      const DermTrendPoint *p = &g_array_index (self->points, DermTrendPoint, i);

      if (isfinite (p->value))
        {
          l->base = p->value;
          break;
        }
    }
  if (isfinite (l->base) && l->band > 0)
    {
      l->vmin = MIN (l->vmin, l->base - 2 * l->band);
      l->vmax = MAX (l->vmax, l->base + 2 * l->band);
    }
  if (l->vmax - l->vmin < 1e-9)
    {
      double pad = MAX (fabs (l->vmin) * 0.1, 1.0);
      l->vmin -= pad;
      l->vmax += pad;
    }
  l->step = nice_step (l->vmax - l->vmin);
  l->vmin = floor (l->vmin / l->step) * l->step;
  l->vmax = ceil (l->vmax / l->step) * l->step;
  if (self->points->len == 0)
    l->tmin = 0, l->tmax = 1;
}

static void
point_xy (DermTrend *self,
          Layout    *l,
          guint      i,
          double    *x,
          double    *y)
{
  const DermTrendPoint *p = &g_array_index (self->points, DermTrendPoint, i);
  double n = self->points->len;

  if (l->tmax - l->tmin > 0.5)
    *x = l->left + 20 + (l->right - l->left - 40) * (point_day (p) - l->tmin) / (l->tmax - l->tmin);
  else
    *x = n > 1 ? l->left + 20 + (l->right - l->left - 40) * i / (n - 1) : (l->left + l->right) / 2;
  *y = isfinite (p->value) ? l->bottom - (l->bottom - l->top) * (p->value - l->vmin) / (l->vmax - l->vmin) : NAN;
}

/* A texture value the sharpness gate says is not comparable with the baseline */
static gboolean
gated (DermTrend *self,
       guint      i)
{
  const DermTrendPoint *p = &g_array_index (self->points, DermTrendPoint, i);

  return derm_metric_get_info (self->metric)->group == DERM_METRIC_GROUP_TEXTURE
         && p->texture_gate != DERM_CHANGE_NONE;
}

static char *
format_value (double v)
{
  return g_strdup_printf (fabs (v) >= 100 ? "%.0f" : fabs (v) >= 10 ? "%.1f" : "%.2f", v);
}

void
derm_trend_get_value_axis (DermTrend *self,
                           double    *vmin,
                           double    *vmax,
                           double    *band_low,
                           double    *band_high)
{
  Layout l;

  g_return_if_fail (DERM_IS_TREND (self));

  compute_layout (self, 800, 400, &l);
  *vmin = l.vmin;
  *vmax = l.vmax;
  *band_low = isfinite (l.base) && l.band > 0 ? l.base - l.band : NAN;
  *band_high = isfinite (l.base) && l.band > 0 ? l.base + l.band : NAN;
}

void
derm_trend_draw (DermTrend    *self,
                 cairo_t      *cr,
                 PangoContext *context,
                 int           width,
                 int           height,
                 int           hover_index)
{
  DermChartText text;
  double s;
  const DermMetricInfo *info;
  g_autofree char *title = NULL;
  g_autofree char *axis = NULL;
  const char *better;
  Layout l;

  g_return_if_fail (DERM_IS_TREND (self));
  g_return_if_fail (cr != NULL);

  info = derm_metric_get_info (self->metric);
  self->text_scale = s = derm_chart_text_scale_for (context);
  compute_layout (self, width, height, &l);

  cairo_save (cr);
  derm_chart_text_init (&text, cr, context);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);

  /* Title: metric and region, and which way is better */
  cairo_set_source_rgb (cr, 0.12, 0.12, 0.14);
  title = g_strdup_printf ("%s — %s", info->label,
                           self->region != NULL ? derm_region_get_name (self->region) : _("Whole photo"));
  derm_chart_text_show (&text, 16, 24 * s, 0, 15, title);
  cairo_set_source_rgb (cr, 0.4, 0.4, 0.45);
  better = info->improvement == DERM_IMPROVEMENT_LOWER ? _("Lower is better")
           : info->improvement == DERM_IMPROVEMENT_HIGHER ? _("Higher is better") : "";
  derm_chart_text_show (&text, 16, 42 * s, 0, 11, better);

  if (self->points->len == 0)
    {
      derm_chart_text_show (&text, width / 2.0, height / 2.0, 0.5, 13, _("No photos"));
      derm_chart_text_clear (&text);
      cairo_restore (cr);
      return;
    }

  /* Value axis: grid lines and ticks */
  cairo_set_line_width (cr, 1);
  for (double v = l.vmin; v <= l.vmax + l.step / 2; v += l.step)
    {
      double y = l.bottom - (l.bottom - l.top) * (v - l.vmin) / (l.vmax - l.vmin);
      g_autofree char *label = format_value (fabs (v) < l.step * 1e-9 ? 0 : v);

      cairo_set_source_rgb (cr, 0.9, 0.9, 0.92);
      cairo_move_to (cr, l.left, floor (y) + 0.5);
      cairo_line_to (cr, l.right, floor (y) + 0.5);
      cairo_stroke (cr);
      cairo_set_source_rgb (cr, 0.35, 0.35, 0.4);
      derm_chart_text_show (&text, l.left - 6, y + 3.5 * s, 1, 10, label);
    }
  cairo_set_source_rgb (cr, 0.35, 0.35, 0.4);
  cairo_move_to (cr, l.left + 0.5, l.top);
  cairo_line_to (cr, l.left + 0.5, l.bottom + 0.5);
  cairo_line_to (cr, l.right, l.bottom + 0.5);
  cairo_stroke (cr);

  /* The baseline's "no clear change" band */
  if (isfinite (l.base) && l.band > 0)
    {
      double y0 = l.bottom - (l.bottom - l.top) * (l.base + l.band - l.vmin) / (l.vmax - l.vmin);
      double y1 = l.bottom - (l.bottom - l.top) * (l.base - l.band - l.vmin) / (l.vmax - l.vmin);
      double yb = l.bottom - (l.bottom - l.top) * (l.base - l.vmin) / (l.vmax - l.vmin);
      g_autofree char *threshold = derm_format_threshold (l.band);
      g_autofree char *label = g_strdup_printf (_("No clear change (baseline ±%s)"), threshold);

      y0 = CLAMP (y0, l.top, l.bottom);
      y1 = CLAMP (y1, l.top, l.bottom);
      cairo_set_source_rgba (cr, 0.55, 0.6, 0.7, 0.18);
      cairo_rectangle (cr, l.left + 1, y0, l.right - l.left - 1, y1 - y0);
      cairo_fill (cr);
      cairo_set_source_rgba (cr, 0.45, 0.5, 0.6, 0.7);
      cairo_set_dash (cr, (const double[]) { 4, 3 }, 2, 0);
      cairo_move_to (cr, l.left + 1, floor (yb) + 0.5);
      cairo_line_to (cr, l.right, floor (yb) + 0.5);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      cairo_set_source_rgb (cr, 0.35, 0.38, 0.45);
      derm_chart_text_show (&text, l.right - 4, y0 + 12 * s, 1, 10, label);
    }

  /* Unit, along the value axis */
  axis = info->unit[0] != '\0' ? g_strdup (info->unit) : g_strdup (info->label);
  cairo_save (cr);
  cairo_translate (cr, 16 * s, (l.top + l.bottom) / 2);
  cairo_rotate (cr, -G_PI / 2);
  derm_chart_text_show (&text, 0, 0, 0.5, 11, axis);
  cairo_restore (cr);

  /* Session dates along the time axis */
  for (guint i = 0; i < self->points->len; i++)
    {
      const DermTrendPoint *p = &g_array_index (self->points, DermTrendPoint, i);
      double x, y;
      g_autofree char *session = NULL;

      point_xy (self, &l, i, &x, &y);
      cairo_set_source_rgb (cr, 0.35, 0.35, 0.4);
      derm_chart_text_show (&text, x, l.bottom + 18 * s, 0.5, 10, p->date);
      session = p->session_number > 0 ? g_strdup_printf (_("Session %d"), p->session_number) : g_strdup ("");
      derm_chart_text_show (&text, x, l.bottom + 32 * s, 0.5, 10, session);
    }
  derm_chart_text_show (&text, (l.left + l.right) / 2, height - 10 * s, 0.5, 11, _("Session date"));

  /* The series: a line through the points that have a value */
  cairo_set_source_rgb (cr, 0.11, 0.44, 0.85);
  cairo_set_line_width (cr, 2);
  {
    gboolean started = FALSE;
    for (guint i = 0; i < self->points->len; i++)
      {
        double x, y;
        point_xy (self, &l, i, &x, &y);
        if (!isfinite (y) || gated (self, i))
          continue;
        if (started)
          cairo_line_to (cr, x, y);
        else
          cairo_move_to (cr, x, y);
        started = TRUE;
      }
    cairo_stroke (cr);
  }
  for (guint i = 0; i < self->points->len; i++)
    {
      double x, y;

      point_xy (self, &l, i, &x, &y);
      if (!isfinite (y))
        {
          /* No value (alignment refused): a hollow grey marker on the axis */
          cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
          cairo_set_line_width (cr, 1.5);
          cairo_arc (cr, x, l.bottom - 8, 4, 0, 2 * G_PI);
          cairo_stroke (cr);
          continue;
        }
      if (gated (self, i))
        {
          /* Texture not comparable with the baseline: softer or sharper photo */
          cairo_set_source_rgb (cr, 0.8, 0.55, 0.0);
          cairo_set_line_width (cr, 2);
          cairo_arc (cr, x, y, (int) i == hover_index ? 6.5 : 4.5, 0, 2 * G_PI);
          cairo_stroke (cr);
          continue;
        }
      cairo_set_source_rgb (cr, 0.11, 0.44, 0.85);
      cairo_arc (cr, x, y, (int) i == hover_index ? 6.5 : 4.5, 0, 2 * G_PI);
      cairo_fill (cr);
    }

  /* Hovered point: its value and date in a box */
  if (hover_index >= 0 && (guint) hover_index < self->points->len)
    {
      const DermTrendPoint *p = &g_array_index (self->points, DermTrendPoint, hover_index);
      g_autofree char *value = NULL;
      g_autofree char *line1 = NULL;
      double x, y, bw, bx, by;

      point_xy (self, &l, (guint) hover_index, &x, &y);
      if (isfinite (p->value) && gated (self, (guint) hover_index))
        line1 = g_strdup (derm_change_verdict_to_label (p->texture_gate));
      else if (isfinite (p->value))
        {
          value = format_value (p->value);
          line1 = g_strdup_printf ("%s %s", value, info->unit);
        }
      else
        /* Never a value for a pair that could not be aligned */
        line1 = g_strdup (p->problem != NULL ? _("Not comparable: not aligned") : _("No value"));
      if (!isfinite (y))
        y = l.bottom - 8;
      bw = MAX (derm_chart_text_width (&text, 11, line1), derm_chart_text_width (&text, 11, p->date)) + 16;
      bx = CLAMP (x - bw / 2, 2, width - bw - 2);
      by = y - 12 - 40 * s < 2 ? y + 12 : y - 12 - 40 * s;
      cairo_set_source_rgba (cr, 0.1, 0.1, 0.12, 0.9);
      cairo_rectangle (cr, bx, by, bw, 40 * s);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
      derm_chart_text_show (&text, bx + 8, by + 16 * s, 0, 11, line1);
      derm_chart_text_show (&text, bx + 8, by + 32 * s, 0, 11, p->date);
    }
  derm_chart_text_clear (&text);
  cairo_restore (cr);
}

int
derm_trend_hit_test (DermTrend *self,
                     int        width,
                     int        height,
                     double     x,
                     double     y)
{
  Layout l;
  int best = -1;
  double best_d = 12.0 * 12.0;

  g_return_val_if_fail (DERM_IS_TREND (self), -1);

  compute_layout (self, width, height, &l);
  for (guint i = 0; i < self->points->len; i++)
    {
      double px, py, dist;

      point_xy (self, &l, i, &px, &py);
      if (!isfinite (py))
        py = l.bottom - 8;
      dist = (px - x) * (px - x) + (py - y) * (py - y);
      if (dist <= best_d)
        {
          best_d = dist;
          best = (int) i;
        }
    }
  return best;
}

static gboolean
check_surface (cairo_surface_t  *surface,
               const char       *path,
               GError          **error)
{
  cairo_status_t status = cairo_surface_status (surface);

  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write the chart to “%s”: %s"),
               path, cairo_status_to_string (status));
  return FALSE;
}

static gboolean
write_png (DermTrend   *self,
                       const char  *path,
                       int          width,
                       int          height,
                       GError     **error)
{
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  gboolean ok;

  g_return_val_if_fail (DERM_IS_TREND (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (width > 0 && height > 0, FALSE);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  derm_trend_draw (self, cr, NULL, width, height, -1);
  cairo_destroy (cr);
  status = cairo_surface_write_to_png (surface, path);
  ok = check_surface (surface, path, error);
  if (ok && status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write the chart to “%s”: %s"),
                   path, cairo_status_to_string (status));
      ok = FALSE;
    }
  cairo_surface_destroy (surface);
  return ok;
}

static gboolean
write_svg (DermTrend   *self,
                       const char  *path,
                       int          width,
                       int          height,
                       GError     **error)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  gboolean ok;

  g_return_val_if_fail (DERM_IS_TREND (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (width > 0 && height > 0, FALSE);

  surface = cairo_svg_surface_create (path, width, height);
  cr = cairo_create (surface);
  derm_trend_draw (self, cr, NULL, width, height, -1);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  ok = check_surface (surface, path, error);
  cairo_surface_destroy (surface);
  return ok;
}

/* Like every export (derm-export-file.h): a temporary file beside @path,
 * renamed when complete, never inside the data folder; the save dialog
 * has already asked before replacing a file */
static gboolean
export_chart (DermTrend   *self,
              gboolean     svg,
              const char  *path,
              int          width,
              int          height,
              GError     **error)
{
  g_autoptr (DermExportFile) file = NULL;
  const char *temp;

  g_return_val_if_fail (DERM_IS_TREND (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  file = derm_export_file_begin (path, derm_store_get_data_dir (derm_photo_library_get_store (self->library)),
                                 TRUE, error);
  if (file == NULL)
    return FALSE;
  temp = derm_export_file_get_temp_path (file);
  if (!(svg ? write_svg (self, temp, width, height, error) : write_png (self, temp, width, height, error)))
    return FALSE;
  return derm_export_file_commit (g_steal_pointer (&file), error);
}

gboolean
derm_trend_export_png (DermTrend   *self,
                       const char  *path,
                       int          width,
                       int          height,
                       GError     **error)
{
  return export_chart (self, FALSE, path, width, height, error);
}

gboolean
derm_trend_export_svg (DermTrend   *self,
                       const char  *path,
                       int          width,
                       int          height,
                       GError     **error)
{
  return export_chart (self, TRUE, path, width, height, error);
}

DermRegion *
derm_trend_get_placed_region (DermTrend *self)
{
  g_return_val_if_fail (DERM_IS_TREND (self), NULL);
  return self->placed;
}
