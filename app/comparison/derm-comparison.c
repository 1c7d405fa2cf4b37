/* derm-comparison.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Images are shared with worker threads through reference-counted slots
 * (Img): a worker takes references under the mutex and works on pixels
 * nobody mutates; the main thread only ever replaces a slot, never
 * changes an image in place. Everything a worker needs besides pixels
 * (settings, regions, keys) is copied into its task data.
 */

#define G_LOG_DOMAIN "derm-comparison"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "derm-comparison.h"
#include "derm-metric-text.h"
#include "derm-imaging-error.h"
#include "derm-photo-decode.h"
#include "derm-store-compare.h"
#include "derm-store-photos.h"
#include "derm-store.h"
#include "derm-treatment.h"
#include "derm-validate.h"

G_DEFINE_QUARK (derm-comparison-error-quark, derm_comparison_error)

G_DEFINE_ENUM_TYPE (DermComparisonState, derm_comparison_state,
                    G_DEFINE_ENUM_VALUE (DERM_COMPARISON_STATE_LOADING_PREVIEW, "loading-preview"),
                    G_DEFINE_ENUM_VALUE (DERM_COMPARISON_STATE_PREVIEW_READY, "preview-ready"),
                    G_DEFINE_ENUM_VALUE (DERM_COMPARISON_STATE_LOADING_FULL, "loading-full"),
                    G_DEFINE_ENUM_VALUE (DERM_COMPARISON_STATE_UNALIGNED, "unaligned"),
                    G_DEFINE_ENUM_VALUE (DERM_COMPARISON_STATE_ALIGNING, "aligning"),
                    G_DEFINE_ENUM_VALUE (DERM_COMPARISON_STATE_ALIGNED, "aligned"),
                    G_DEFINE_ENUM_VALUE (DERM_COMPARISON_STATE_ALIGNMENT_REFUSED, "alignment-refused"),
                    G_DEFINE_ENUM_VALUE (DERM_COMPARISON_STATE_MANUAL, "manual"),
                    G_DEFINE_ENUM_VALUE (DERM_COMPARISON_STATE_FAILED, "failed"),
                    G_DEFINE_ENUM_VALUE (DERM_COMPARISON_STATE_PHOTO_REMOVED, "photo-removed"))

/* ------------------------------------------------------------ shared images */

typedef struct
{
  DermImage     *image;   /* owned, or borrowed from @owner */
  DermAlignment *owner;   /* the alignment the warped image belongs to */
} Img;

static void
img_clear (gpointer data)
{
  Img *img = data;

  if (img->owner != NULL)
    derm_alignment_free (img->owner);
  else
    derm_image_free (img->image);
}

static Img *
img_new (DermImage     *image,
         DermAlignment *owner)
{
  Img *img = g_atomic_rc_box_new0 (Img);

  img->image = image;
  img->owner = owner;
  return img;
}

static Img *
img_ref (Img *img)
{
  return img != NULL ? g_atomic_rc_box_acquire (img) : NULL;
}

static void
img_unref (Img *img)
{
  if (img != NULL)
    g_atomic_rc_box_release_full (img, img_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Img, img_unref)

enum { SLOT_BEFORE, SLOT_AFTER, N_PHOTOS };

typedef struct
{
  Img    *source;   /* what the pixels were made from */
  GBytes *rgba;
  int     width, height;
  gsize   stride;
} RgbaCache;

static void
rgba_cache_free (gpointer data)
{
  RgbaCache *c = data;

  img_unref (c->source);
  g_bytes_unref (c->rgba);
  g_free (c);
}

struct _DermComparison
{
  GObject              parent_instance;

  DermPhotoLibrary    *library;
  DermPhoto           *photos[N_PHOTOS];
  gulong               removed_handlers[N_PHOTOS];
  int                  session_numbers[N_PHOTOS];

  DermComparisonState  state;
  double               progress;
  char                *refused_reason;
  char                *error_message;
  gboolean             loading;

  DermWhiteBalanceMode wb_mode;
  int                  patch[4];
  gboolean             chart_marked;        /* chart_corners marked by hand */
  double               chart_corners[8];

  GListStore          *regions;
  guint                n_computed;   /* atomic */

  /* Guarded by mutex: read by workers */
  GMutex               mutex;
  Img                 *preview[N_PHOTOS];
  Img                 *full[N_PHOTOS];
  Img                 *aligned;
  int                  full_size[N_PHOTOS][2];
  gboolean             has_alignment;
  gboolean             manual;
  DermAlignmentResult  alignment;
  GHashTable          *rgba_cache;   /* "which:max_side" -> RgbaCache */
};

G_DEFINE_FINAL_TYPE (DermComparison, derm_comparison, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LIBRARY,
  PROP_BEFORE,
  PROP_AFTER,
  PROP_STATE,
  PROP_PROGRESS,
  PROP_REFUSED_REASON,
  PROP_ERROR_MESSAGE,
  PROP_WHITE_BALANCE,
  PROP_REGIONS,
  N_PROPS
};

enum {
  PHOTO_REMOVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ------------------------------------------------------------ small helpers */

static void
set_state (DermComparison      *self,
           DermComparisonState  state)
{
  /* A removed photo ends the comparison: nothing may bring it back */
  if (self->state == DERM_COMPARISON_STATE_PHOTO_REMOVED || self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_progress (DermComparison *self,
              double          progress)
{
  if (self->progress == progress)
    return;
  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

static void
set_string_prop (DermComparison  *self,
                 char           **slot,
                 const char      *value,
                 guint            prop)
{
  if (g_strcmp0 (*slot, value) == 0)
    return;
  g_free (*slot);
  *slot = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static gboolean
is_removed (DermComparison *self)
{
  return self->state == DERM_COMPARISON_STATE_PHOTO_REMOVED;
}

static gboolean
check_not_removed (DermComparison  *self,
                   GError         **error)
{
  if (!is_removed (self))
    return TRUE;
  g_set_error_literal (error, DERM_COMPARISON_ERROR, DERM_COMPARISON_ERROR_PHOTO_REMOVED,
                       self->error_message != NULL ? self->error_message
                                                   : _("A photo of this comparison was removed"));
  return FALSE;
}

static void
photo_removed (DermComparison *self,
               DermPhoto      *photo)
{
  g_autofree char *message = NULL;

  if (is_removed (self))
    return;
  message = g_strdup_printf (photo == self->photos[SLOT_BEFORE]
                             ? _("The before photo was removed, so this comparison was closed")
                             : _("The after photo was removed, so this comparison was closed"));
  set_string_prop (self, &self->error_message, message, PROP_ERROR_MESSAGE);
  set_state (self, DERM_COMPARISON_STATE_PHOTO_REMOVED);
  g_signal_emit (self, signals[PHOTO_REMOVED], 0, photo);
}

static void
on_removed_at_changed (DermPhoto      *photo,
                       GParamSpec     *pspec,
                       DermComparison *self)
{
  if (derm_photo_get_removed_at (photo) != NULL)
    photo_removed (self, photo);
}

static DermStore *
get_store (DermComparison *self)
{
  return derm_photo_library_get_store (self->library);
}

/* What a pair's metrics depend on besides the before photo: the after
 * photo and the alignment. An automatic alignment is a function of the
 * two photos and the algorithm version (both in the key), so it is
 * "<after sha256>:auto", which the trend chart shares without aligning
 * again; a manual one "<after sha256>:manual-<homography fingerprint>". */
static char *
pair_key (const char *after_sha256,
          gboolean    manual,
          const double h[9])
{
  GString *text;
  g_autofree char *digest = NULL;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!manual)
    return g_strdup_printf ("%s:auto", after_sha256);
  text = g_string_new (NULL);
  for (guint i = 0; i < 9; i++)
    {
      g_string_append (text, g_ascii_dtostr (buf, sizeof buf, h[i]));
      g_string_append_c (text, ';');
    }
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text->str, (gssize) text->len);
  g_string_free (text, TRUE);
  return g_strdup_printf ("%s:manual-%.16s", after_sha256, digest);
}

/* ------------------------------------------------------------ object */

static void
derm_comparison_dispose (GObject *object)
{
  DermComparison *self = (DermComparison *) object;

  for (guint i = 0; i < N_PHOTOS; i++)
    if (self->photos[i] != NULL)
      g_clear_signal_handler (&self->removed_handlers[i], self->photos[i]);
  for (guint i = 0; i < N_PHOTOS; i++)
    g_clear_object (&self->photos[i]);
  g_clear_object (&self->library);
  g_clear_object (&self->regions);

  G_OBJECT_CLASS (derm_comparison_parent_class)->dispose (object);
}

static void
derm_comparison_finalize (GObject *object)
{
  DermComparison *self = (DermComparison *) object;

  for (guint i = 0; i < N_PHOTOS; i++)
    {
      g_clear_pointer (&self->preview[i], img_unref);
      g_clear_pointer (&self->full[i], img_unref);
    }
  g_clear_pointer (&self->aligned, img_unref);
  g_clear_pointer (&self->rgba_cache, g_hash_table_unref);
  g_clear_pointer (&self->refused_reason, g_free);
  g_clear_pointer (&self->error_message, g_free);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (derm_comparison_parent_class)->finalize (object);
}

static void
derm_comparison_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DermComparison *self = DERM_COMPARISON (object);

  switch (prop_id)
    {
    case PROP_LIBRARY:
      g_value_set_object (value, self->library);
      break;
    case PROP_BEFORE:
      g_value_set_object (value, self->photos[SLOT_BEFORE]);
      break;
    case PROP_AFTER:
      g_value_set_object (value, self->photos[SLOT_AFTER]);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_REFUSED_REASON:
      g_value_set_string (value, self->refused_reason);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case PROP_WHITE_BALANCE:
      g_value_set_int (value, self->wb_mode);
      break;
    case PROP_REGIONS:
      g_value_set_object (value, self->regions);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_comparison_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  DermComparison *self = DERM_COMPARISON (object);

  switch (prop_id)
    {
    case PROP_WHITE_BALANCE:
      derm_comparison_set_white_balance (self, g_value_get_int (value));
      break;
    case PROP_LIBRARY:
    case PROP_BEFORE:
    case PROP_AFTER:
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_comparison_class_init (DermComparisonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = derm_comparison_dispose;
  object_class->finalize = derm_comparison_finalize;
  object_class->get_property = derm_comparison_get_property;
  object_class->set_property = derm_comparison_set_property;

  properties[PROP_LIBRARY] =
    g_param_spec_object ("library", NULL, NULL, DERM_TYPE_PHOTO_LIBRARY,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BEFORE] =
    g_param_spec_object ("before", NULL, NULL, DERM_TYPE_PHOTO,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_AFTER] =
    g_param_spec_object ("after", NULL, NULL, DERM_TYPE_PHOTO,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, DERM_TYPE_COMPARISON_STATE,
                       DERM_COMPARISON_STATE_LOADING_PREVIEW,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REFUSED_REASON] =
    g_param_spec_string ("refused-reason", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* A DermWhiteBalanceMode (the imaging library has no GType) */
  properties[PROP_WHITE_BALANCE] =
    g_param_spec_int ("white-balance", NULL, NULL, DERM_WB_NONE, DERM_WB_PATCH, DERM_WB_NONE,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REGIONS] =
    g_param_spec_object ("regions", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DermComparison::photo-removed:
   * @photo: the DermPhoto that was removed
   *
   * Emitted once, when the state turns PHOTO_REMOVED: the UI closes the
   * comparison and shows the "error-message".
   */
  signals[PHOTO_REMOVED] =
    g_signal_new ("photo-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, DERM_TYPE_PHOTO);
}

static void
derm_comparison_init (DermComparison *self)
{
  g_mutex_init (&self->mutex);
  self->regions = g_list_store_new (DERM_TYPE_REGION);
  self->rgba_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, rgba_cache_free);
  self->wb_mode = DERM_WB_NONE;
}

/* 1-based position of @treatment_id among the client's sessions by date */
static int
session_number (GPtrArray *treatments,
                gint64     treatment_id)
{
  if (treatment_id == 0 || treatments == NULL)
    return 0;
  /* The store lists newest first */
  for (guint i = 0; i < treatments->len; i++)
    if (derm_treatment_get_id (g_ptr_array_index (treatments, i)) == treatment_id)
      return (int) (treatments->len - i);
  return 0;
}

DermComparison *
derm_comparison_new (DermPhotoLibrary  *library,
                     DermPhoto         *before,
                     DermPhoto         *after,
                     GError           **error)
{
  g_autoptr (DermComparison) self = NULL;
  g_autoptr (GPtrArray) treatments = NULL;
  DermPhoto *photos[N_PHOTOS] = { before, after };

  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (library), NULL);
  g_return_val_if_fail (DERM_IS_PHOTO (before), NULL);
  g_return_val_if_fail (DERM_IS_PHOTO (after), NULL);

  if (derm_photo_get_client_id (before) != derm_photo_get_client_id (after))
    {
      g_set_error_literal (error, DERM_COMPARISON_ERROR, DERM_COMPARISON_ERROR_DIFFERENT_CLIENTS,
                           _("These photos are of two different clients; compare photos of the same client"));
      return NULL;
    }
  if (derm_photo_get_id (before) == derm_photo_get_id (after)
      || g_strcmp0 (derm_photo_get_sha256 (before), derm_photo_get_sha256 (after)) == 0)
    {
      g_set_error_literal (error, DERM_COMPARISON_ERROR, DERM_COMPARISON_ERROR_SAME_PHOTO,
                           _("Choose two different photos to compare"));
      return NULL;
    }
  for (guint i = 0; i < N_PHOTOS; i++)
    if (derm_photo_get_removed_at (photos[i]) != NULL)
      {
        g_set_error_literal (error, DERM_COMPARISON_ERROR, DERM_COMPARISON_ERROR_PHOTO_REMOVED,
                             _("This photo is in Recently removed; restore it to compare it"));
        return NULL;
      }

  self = g_object_new (DERM_TYPE_COMPARISON, NULL);
  self->library = g_object_ref (library);
  treatments = derm_store_list_treatments (derm_photo_library_get_store (library),
                                           derm_photo_get_client_id (before), NULL);
  for (guint i = 0; i < N_PHOTOS; i++)
    {
      self->photos[i] = g_object_ref (photos[i]);
      self->removed_handlers[i] = g_signal_connect (photos[i], "notify::removed-at",
                                                    G_CALLBACK (on_removed_at_changed), self);
      self->session_numbers[i] = session_number (treatments, derm_photo_get_treatment_id (photos[i]));
      self->full_size[i][0] = derm_photo_get_width (photos[i]);
      self->full_size[i][1] = derm_photo_get_height (photos[i]);
    }
  return g_steal_pointer (&self);
}

static const char *
photo_sort_date (DermPhoto *photo)
{
  if (derm_photo_get_session_date (photo) != NULL)
    return derm_photo_get_session_date (photo);
  if (derm_photo_get_captured_at (photo) != NULL)
    return derm_photo_get_captured_at (photo);
  return derm_photo_get_imported_at (photo);
}

static int
compare_photos_by_date (gconstpointer a,
                        gconstpointer b)
{
  DermPhoto *pa = *(DermPhoto **) a, *pb = *(DermPhoto **) b;
  g_autofree char *da = g_strndup (photo_sort_date (pa) ? photo_sort_date (pa) : "", 10);
  g_autofree char *db = g_strndup (photo_sort_date (pb) ? photo_sort_date (pb) : "", 10);
  int c = strcmp (da, db);

  if (c == 0)
    c = g_strcmp0 (derm_photo_get_captured_at (pa), derm_photo_get_captured_at (pb));
  if (c == 0)
    c = derm_photo_get_id (pa) < derm_photo_get_id (pb) ? -1 : derm_photo_get_id (pa) > derm_photo_get_id (pb);
  return c;
}

GPtrArray *
derm_comparison_list_same_view (DermPhotoLibrary  *library,
                                gint64             client_id,
                                DermPhotoView      view,
                                GError           **error)
{
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GPtrArray) photos = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (library), NULL);

  all = derm_store_list_photos (derm_photo_library_get_store (library), client_id,
                                DERM_PHOTO_LIST_ACTIVE, error);
  if (all == NULL)
    return NULL;
  for (guint i = 0; i < all->len; i++)
    {
      DermPhoto *photo = g_ptr_array_index (all, i);
      if (derm_photo_get_view (photo) == view)
        g_ptr_array_add (photos, g_object_ref (photo));
    }
  g_ptr_array_sort (photos, compare_photos_by_date);
  return g_steal_pointer (&photos);
}

DermComparison *
derm_comparison_new_default (DermPhotoLibrary  *library,
                             gint64             client_id,
                             DermPhotoView      view,
                             GError           **error)
{
  g_autoptr (GPtrArray) photos = NULL;

  g_return_val_if_fail (DERM_IS_PHOTO_LIBRARY (library), NULL);

  photos = derm_comparison_list_same_view (library, client_id, view, error);
  if (photos == NULL)
    return NULL;
  if (photos->len < 2)
    {
      g_set_error (error, DERM_COMPARISON_ERROR, DERM_COMPARISON_ERROR_SAME_PHOTO,
                   _("There are fewer than two %s photos of this client; import another one to compare"),
                   derm_photo_view_to_label (view));
      return NULL;
    }
  return derm_comparison_new (library, g_ptr_array_index (photos, 0),
                              g_ptr_array_index (photos, photos->len - 1), error);
}

DermPhotoLibrary *
derm_comparison_get_library (DermComparison *self)
{
  g_return_val_if_fail (DERM_IS_COMPARISON (self), NULL);
  return self->library;
}

DermPhoto *
derm_comparison_get_before (DermComparison *self)
{
  g_return_val_if_fail (DERM_IS_COMPARISON (self), NULL);
  return self->photos[SLOT_BEFORE];
}

DermPhoto *
derm_comparison_get_after (DermComparison *self)
{
  g_return_val_if_fail (DERM_IS_COMPARISON (self), NULL);
  return self->photos[SLOT_AFTER];
}

DermComparisonState
derm_comparison_get_state (DermComparison *self)
{
  g_return_val_if_fail (DERM_IS_COMPARISON (self), DERM_COMPARISON_STATE_FAILED);
  return self->state;
}

double
derm_comparison_get_progress (DermComparison *self)
{
  g_return_val_if_fail (DERM_IS_COMPARISON (self), 0.0);
  return self->progress;
}

const char *
derm_comparison_get_refused_reason (DermComparison *self)
{
  g_return_val_if_fail (DERM_IS_COMPARISON (self), NULL);
  return self->refused_reason;
}

const char *
derm_comparison_get_error_message (DermComparison *self)
{
  g_return_val_if_fail (DERM_IS_COMPARISON (self), NULL);
  return self->error_message;
}

/* ------------------------------------------------------------ loading */

typedef struct
{
  char            *paths[N_PHOTOS];
  DermPhotoFormat  formats[N_PHOTOS];
  int              max_side;          /* 0: full */
  DermImage       *images[N_PHOTOS];  /* results */
  int              sizes[N_PHOTOS][2];
} DecodeData;

static void
decode_data_free (gpointer data)
{
  DecodeData *d = data;

  for (guint i = 0; i < N_PHOTOS; i++)
    {
      g_free (d->paths[i]);
      derm_image_free (d->images[i]);
    }
  g_free (d);
}

static void
decode_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  DecodeData *d = task_data;

  for (guint i = 0; i < N_PHOTOS; i++)
    {
      GError *error = NULL;

      if (g_task_return_error_if_cancelled (task))
        return;
      d->images[i] = derm_photo_decode_file (d->paths[i], d->formats[i], d->max_side,
                                             &d->sizes[i][0], &d->sizes[i][1], &error);
      if (d->images[i] == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  g_task_return_boolean (task, TRUE);
}

static DecodeData *
decode_data_new (DermComparison *self,
                 int             max_side)
{
  DecodeData *d = g_new0 (DecodeData, 1);

  d->max_side = max_side;
  for (guint i = 0; i < N_PHOTOS; i++)
    {
      DermPhoto *photo = self->photos[i];
      d->paths[i] = derm_photo_library_get_original_path (self->library, derm_photo_get_sha256 (photo));
      d->formats[i] = derm_photo_format_from_mime (derm_photo_get_mime_type (photo));
      if (d->formats[i] == DERM_PHOTO_FORMAT_UNKNOWN)
        d->formats[i] = derm_photo_format_sniff_file (d->paths[i]);
    }
  return d;
}

/* Installs decoded images into @slots; the data keeps nothing */
static void
install_decoded (DermComparison *self,
                 DecodeData     *d,
                 Img           **slots)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->mutex);

  for (guint i = 0; i < N_PHOTOS; i++)
    {
      img_unref (slots[i]);
      slots[i] = img_new (g_steal_pointer (&d->images[i]), NULL);
      if (slots == self->full)
        {
          self->full_size[i][0] = derm_image_get_width (slots[i]->image);
          self->full_size[i][1] = derm_image_get_height (slots[i]->image);
        }
      else if (d->sizes[i][0] > 0 && d->sizes[i][1] > 0)
        {
          self->full_size[i][0] = d->sizes[i][0];
          self->full_size[i][1] = d->sizes[i][1];
        }
    }
}

static void load_full (GTask *outer);
static void load_align (GTask *outer);

static void
fail_load (DermComparison *self,
           GTask          *outer,
           GError         *error)   /* transfer full */
{
  self->loading = FALSE;
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && !is_removed (self))
    {
      set_string_prop (self, &self->error_message, error->message, PROP_ERROR_MESSAGE);
      set_state (self, DERM_COMPARISON_STATE_FAILED);
    }
  g_task_return_error (outer, error);
}

static void
preview_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (GTask) outer = user_data;
  DermComparison *self = g_task_get_source_object (outer);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      fail_load (self, outer, error);
      return;
    }
  install_decoded (self, g_task_get_task_data (G_TASK (result)), self->preview);
  set_progress (self, 0.2);
  set_state (self, DERM_COMPARISON_STATE_PREVIEW_READY);
  if (is_removed (self))
    {
      self->loading = FALSE;
      g_task_return_new_error (outer, DERM_COMPARISON_ERROR, DERM_COMPARISON_ERROR_PHOTO_REMOVED,
                               "%s", self->error_message);
      return;
    }
  load_full (g_steal_pointer (&outer));
}

static void
full_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr (GTask) outer = user_data;
  DermComparison *self = g_task_get_source_object (outer);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_state (self, DERM_COMPARISON_STATE_PREVIEW_READY);
      fail_load (self, outer, error);
      return;
    }
  install_decoded (self, g_task_get_task_data (G_TASK (result)), self->full);
  set_progress (self, 0.6);
  set_state (self, DERM_COMPARISON_STATE_UNALIGNED);
  if (is_removed (self))
    {
      self->loading = FALSE;
      g_task_return_new_error (outer, DERM_COMPARISON_ERROR, DERM_COMPARISON_ERROR_PHOTO_REMOVED,
                               "%s", self->error_message);
      return;
    }
  if (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (outer), "align")))
    load_align (g_steal_pointer (&outer));
  else
    {
      self->loading = FALSE;
      set_progress (self, 1.0);
      g_task_return_boolean (outer, TRUE);
    }
}

static void
load_full (GTask *outer)
{
  DermComparison *self = g_task_get_source_object (outer);
  g_autoptr (GTask) task = g_task_new (self, g_task_get_cancellable (outer), full_done, outer);

  set_state (self, DERM_COMPARISON_STATE_LOADING_FULL);
  g_task_set_source_tag (task, load_full);
  g_task_set_task_data (task, decode_data_new (self, 0), decode_data_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, decode_thread);
}

void
derm_comparison_load_async (DermComparison      *self,
                            gboolean             align,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr (GTask) outer = NULL;
  g_autoptr (GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (DERM_IS_COMPARISON (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, derm_comparison_load_async);
  g_object_set_data (G_OBJECT (outer), "align", GINT_TO_POINTER (align));
  if (!check_not_removed (self, &error))
    {
      g_task_return_error (outer, error);
      return;
    }
  if (self->loading)
    {
      g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("The photos are already being loaded"));
      return;
    }
  self->loading = TRUE;
  set_progress (self, 0.0);

  task = g_task_new (self, cancellable, preview_done, g_steal_pointer (&outer));
  g_task_set_source_tag (task, derm_comparison_load_async);
  g_task_set_task_data (task, decode_data_new (self, DERM_COMPARISON_PREVIEW_SIDE), decode_data_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, decode_thread);
}

gboolean
derm_comparison_load_finish (DermComparison  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  g_return_val_if_fail (DERM_IS_COMPARISON (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
derm_comparison_has_full_images (DermComparison *self)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (DERM_IS_COMPARISON (self), FALSE);

  locker = g_mutex_locker_new (&self->mutex);
  return self->full[SLOT_BEFORE] != NULL && self->full[SLOT_AFTER] != NULL;
}

/* ------------------------------------------------------------ alignment */

typedef struct
{
  Img                 *before;
  Img                 *after;
  gboolean             manual;
  double              *points;      /* manual: before x, y ..., then after x, y ... */
  guint                n_points;
  DermAlignment       *alignment;   /* automatic result */
  DermImage           *warped;      /* manual result */
  DermAlignmentResult  result;
  int                  status;
} AlignData;

static void
align_data_free (gpointer data)
{
  AlignData *d = data;

  img_unref (d->before);
  img_unref (d->after);
  g_free (d->points);
  derm_alignment_free (d->alignment);
  derm_image_free (d->warped);
  g_free (d);
}

/* Fraction of @image's pixels that are real */
static double
coverage (const DermImage *image)
{
  DermImage *small = NULL;
  g_autofree guint8 *rgba = NULL;
  guint64 n = 0;
  int w, h;

  if (derm_image_resize (image, 512, &small, NULL) != DERM_STATUS_OK)
    return 0.0;
  w = derm_image_get_width (small);
  h = derm_image_get_height (small);
  rgba = g_malloc ((gsize) w * h * 4);
  derm_image_copy_rgba (small, rgba, (size_t) w * 4);
  for (gsize i = 0; i < (gsize) w * h; i++)
    n += rgba[4 * i + 3] != 0;
  derm_image_free (small);
  return (double) n / ((double) w * h);
}

static void
align_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  AlignData *d = task_data;
  DermError err;

  if (!d->manual)
    {
      d->status = derm_align (d->before->image, d->after->image, NULL, &d->alignment, &err);
      if (d->status == DERM_STATUS_OK)
        {
          derm_alignment_get_result (d->alignment, &d->result);
          /* The aligned photo is shown: warp it here, off the main thread */
          derm_alignment_get_warped (d->alignment);
        }
    }
  else
    {
      const double *bp = d->points, *ap = d->points + 2 * d->n_points;
      double rms = 0;

      memset (&d->result, 0, sizeof d->result);
      d->status = derm_homography_from_points (ap, bp, d->n_points,
                                               derm_image_get_width (d->after->image),
                                               derm_image_get_height (d->after->image),
                                               d->result.h, &rms, &err);
      if (d->status == DERM_STATUS_OK)
        d->status = derm_image_warp (d->after->image, d->result.h,
                                     derm_image_get_width (d->before->image),
                                     derm_image_get_height (d->before->image),
                                     &d->warped, &err);
      if (d->status == DERM_STATUS_BAD_ROI)
        {
          d->status = DERM_STATUS_ALIGNMENT_REFUSED;
          g_strlcpy (err.message, "Alignment refused: the marked points move the after photo off the before photo.",
                     sizeof err.message);
          err.format = N_("Alignment refused: the marked points move the after photo off the before photo.");
          err.n_args = 0;
        }
      if (d->status == DERM_STATUS_OK)
        {
          d->result.n_matches = d->result.n_inliers = (int) d->n_points;
          d->result.inlier_ratio = 1.0;
          d->result.rms_error = rms;
          d->result.overlap = coverage (d->warped);
        }
    }

  if (d->status == DERM_STATUS_OK)
    g_task_return_boolean (task, TRUE);
  else
    {
      g_autofree char *message = derm_imaging_error_message (&err);

      g_task_return_new_error (task, DERM_COMPARISON_ERROR,
                               d->status == DERM_STATUS_ALIGNMENT_REFUSED ? DERM_COMPARISON_ERROR_ALIGNMENT_REFUSED
                                                                          : DERM_COMPARISON_ERROR_IMAGING,
                               "%s", message);
    }
}

/* Installs the result of a finished alignment task; FALSE with @error set
 * when it failed. @previous: the state to go back to on a refused manual
 * alignment or a cancel. */
static gboolean
finish_alignment (DermComparison      *self,
                  GTask               *task,
                  DermComparisonState  previous,
                  GError             **error)
{
  AlignData *d = g_task_get_task_data (task);
  GError *local = NULL;

  if (!g_task_propagate_boolean (task, &local))
    {
      if (g_error_matches (local, DERM_COMPARISON_ERROR, DERM_COMPARISON_ERROR_ALIGNMENT_REFUSED) && !d->manual)
        {
          g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
          self->has_alignment = FALSE;
          g_clear_pointer (&self->aligned, img_unref);
          g_hash_table_remove_all (self->rgba_cache);
          g_clear_pointer (&locker, g_mutex_locker_free);
          set_string_prop (self, &self->refused_reason, local->message, PROP_REFUSED_REASON);
          set_state (self, DERM_COMPARISON_STATE_ALIGNMENT_REFUSED);
        }
      else
        set_state (self, previous);
      g_propagate_error (error, local);
      return FALSE;
    }

  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
    img_unref (self->aligned);
    if (d->manual)
      self->aligned = img_new (g_steal_pointer (&d->warped), NULL);
    else
      {
        DermAlignment *al = g_steal_pointer (&d->alignment);
        self->aligned = img_new ((DermImage *) derm_alignment_get_warped (al), al);
      }
    self->alignment = d->result;
    self->has_alignment = TRUE;
    self->manual = d->manual;
    /* Cached copies of the old alignment must not be shown */
    g_hash_table_remove_all (self->rgba_cache);
  }
  set_string_prop (self, &self->refused_reason, NULL, PROP_REFUSED_REASON);
  set_state (self, d->manual ? DERM_COMPARISON_STATE_MANUAL : DERM_COMPARISON_STATE_ALIGNED);
  return TRUE;
}

static AlignData *
align_data_new (DermComparison  *self,
                GError         **error)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  AlignData *d;

  if (self->full[SLOT_BEFORE] == NULL || self->full[SLOT_AFTER] == NULL)
    {
      g_set_error_literal (error, DERM_COMPARISON_ERROR, DERM_COMPARISON_ERROR_NOT_READY,
                           _("The photos are still loading; try again when they are shown sharp"));
      return NULL;
    }
  d = g_new0 (AlignData, 1);
  d->before = img_ref (self->full[SLOT_BEFORE]);
  d->after = img_ref (self->full[SLOT_AFTER]);
  return d;
}

static void
load_align_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (GTask) outer = user_data;
  DermComparison *self = g_task_get_source_object (outer);
  g_autoptr (GError) error = NULL;

  self->loading = FALSE;
  set_progress (self, 1.0);
  if (!finish_alignment (self, G_TASK (result), DERM_COMPARISON_STATE_UNALIGNED, &error)
      && !g_error_matches (error, DERM_COMPARISON_ERROR, DERM_COMPARISON_ERROR_ALIGNMENT_REFUSED))
    {
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }
  /* A refused alignment is a result, not a failure of the load */
  g_task_return_boolean (outer, TRUE);
}

static void
load_align (GTask *outer)
{
  DermComparison *self = g_task_get_source_object (outer);
  g_autoptr (GTask) task = NULL;
  GError *error = NULL;
  AlignData *d = align_data_new (self, &error);

  if (d == NULL)
    {
      fail_load (self, outer, error);
      g_object_unref (outer);
      return;
    }
  set_state (self, DERM_COMPARISON_STATE_ALIGNING);
  task = g_task_new (self, g_task_get_cancellable (outer), load_align_done, outer);
  g_task_set_source_tag (task, load_align);
  g_task_set_task_data (task, d, align_data_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, align_thread);
}

typedef struct
{
  GTask               *outer;
  DermComparisonState  previous;
} AlignCall;

static void
align_call_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  AlignCall *call = user_data;
  g_autoptr (GTask) outer = call->outer;
  DermComparison *self = g_task_get_source_object (outer);
  GError *error = NULL;

  if (finish_alignment (self, G_TASK (result), call->previous, &error))
    g_task_return_boolean (outer, TRUE);
  else
    g_task_return_error (outer, error);
  g_free (call);
}

static void
start_alignment (DermComparison      *self,
                 AlignData           *d,
                 GTask               *outer)   /* transfer full */
{
  g_autoptr (GTask) task = NULL;
  AlignCall *call = g_new0 (AlignCall, 1);

  call->outer = outer;
  call->previous = self->state;
  set_state (self, DERM_COMPARISON_STATE_ALIGNING);
  task = g_task_new (self, g_task_get_cancellable (outer), align_call_done, call);
  g_task_set_source_tag (task, start_alignment);
  g_task_set_task_data (task, d, align_data_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, align_thread);
}

void
derm_comparison_align_async (DermComparison      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr (GTask) outer = NULL;
  GError *error = NULL;
  AlignData *d;

  g_return_if_fail (DERM_IS_COMPARISON (self));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, derm_comparison_align_async);
  if (!check_not_removed (self, &error) || (d = align_data_new (self, &error)) == NULL)
    {
      g_task_return_error (outer, error);
      return;
    }
  start_alignment (self, d, g_steal_pointer (&outer));
}

gboolean
derm_comparison_align_finish (DermComparison  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (DERM_IS_COMPARISON (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
derm_comparison_align_manual_async (DermComparison      *self,
                                    const double        *before_points,
                                    const double        *after_points,
                                    guint                n_points,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr (GTask) outer = NULL;
  GError *error = NULL;
  AlignData *d;

  g_return_if_fail (DERM_IS_COMPARISON (self));
  g_return_if_fail (before_points != NULL && after_points != NULL);

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, derm_comparison_align_manual_async);
  if (n_points < 3 || n_points > 4)
    {
      g_task_return_new_error (outer, DERM_COMPARISON_ERROR, DERM_COMPARISON_ERROR_ALIGNMENT_REFUSED,
                               _("Mark 3 or 4 matching points on each photo"));
      return;
    }
  if (!check_not_removed (self, &error) || (d = align_data_new (self, &error)) == NULL)
    {
      g_task_return_error (outer, error);
      return;
    }
  d->manual = TRUE;
  d->n_points = n_points;
  d->points = g_new (double, 4 * n_points);
  memcpy (d->points, before_points, 2 * n_points * sizeof (double));
  memcpy (d->points + 2 * n_points, after_points, 2 * n_points * sizeof (double));
  start_alignment (self, d, g_steal_pointer (&outer));
}

gboolean
derm_comparison_align_manual_finish (DermComparison  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  g_return_val_if_fail (DERM_IS_COMPARISON (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
derm_comparison_get_alignment (DermComparison      *self,
                               DermAlignmentResult *result)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (DERM_IS_COMPARISON (self), FALSE);

  locker = g_mutex_locker_new (&self->mutex);
  if (!self->has_alignment)
    return FALSE;
  if (result != NULL)
    *result = self->alignment;
  return TRUE;
}

/* ------------------------------------------------------------ pixels */

void
derm_comparison_get_image_size (DermComparison      *self,
                                DermComparisonImage  which,
                                int                 *width,
                                int                 *height)
{
  g_autoptr (GMutexLocker) locker = NULL;
  guint slot;

  g_return_if_fail (DERM_IS_COMPARISON (self));

  slot = which == DERM_COMPARISON_IMAGE_AFTER ? SLOT_AFTER : SLOT_BEFORE;
  locker = g_mutex_locker_new (&self->mutex);
  if (width != NULL)
    *width = self->full_size[slot][0];
  if (height != NULL)
    *height = self->full_size[slot][1];
}

/* The best image for @which, referenced; NULL when there is none yet */
static Img *
dup_best (DermComparison      *self,
          DermComparisonImage  which)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->mutex);

  switch (which)
    {
    case DERM_COMPARISON_IMAGE_BEFORE:
      return img_ref (self->full[SLOT_BEFORE] ? self->full[SLOT_BEFORE] : self->preview[SLOT_BEFORE]);
    case DERM_COMPARISON_IMAGE_AFTER:
      return img_ref (self->full[SLOT_AFTER] ? self->full[SLOT_AFTER] : self->preview[SLOT_AFTER]);
    case DERM_COMPARISON_IMAGE_AFTER_ALIGNED:
      return img_ref (self->aligned);
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
derm_comparison_has_image (DermComparison      *self,
                           DermComparisonImage  which)
{
  g_autoptr (Img) img = NULL;

  g_return_val_if_fail (DERM_IS_COMPARISON (self), FALSE);

  img = dup_best (self, which);
  return img != NULL;
}

GBytes *
derm_comparison_dup_rgba (DermComparison      *self,
                          DermComparisonImage  which,
                          int                  max_side,
                          int                 *width,
                          int                 *height,
                          gsize               *stride,
                          double              *scale)
{
  g_autoptr (Img) img = NULL;
  g_autofree char *key = NULL;
  DermImage *resized = NULL;
  const DermImage *src;
  RgbaCache *entry;
  GBytes *bytes = NULL;
  guint8 *pixels;
  int w, h, full_w;

  g_return_val_if_fail (DERM_IS_COMPARISON (self), NULL);
  g_return_val_if_fail (max_side >= 0, NULL);

  img = dup_best (self, which);
  if (img == NULL)
    return NULL;

  key = g_strdup_printf ("%d:%d", which, max_side);
  g_mutex_lock (&self->mutex);
  full_w = self->full_size[which == DERM_COMPARISON_IMAGE_AFTER ? SLOT_AFTER : SLOT_BEFORE][0];
  entry = g_hash_table_lookup (self->rgba_cache, key);
  if (entry != NULL && entry->source == img)
    {
      bytes = g_bytes_ref (entry->rgba);
      w = entry->width;
      h = entry->height;
    }
  g_mutex_unlock (&self->mutex);

  if (bytes == NULL)
    {
      src = img->image;
      if (max_side > 0 && MAX (derm_image_get_width (src), derm_image_get_height (src)) > max_side)
        {
          if (derm_image_resize (src, max_side, &resized, NULL) != DERM_STATUS_OK)
            return NULL;
          src = resized;
        }
      w = derm_image_get_width (src);
      h = derm_image_get_height (src);
      pixels = g_malloc ((gsize) w * h * 4);
      derm_image_copy_rgba (src, pixels, (size_t) w * 4);
      derm_image_free (resized);

      entry = g_new0 (RgbaCache, 1);
      entry->source = img_ref (img);
      entry->rgba = g_bytes_new_take (pixels, (gsize) w * h * 4);
      entry->width = w;
      entry->height = h;
      entry->stride = (gsize) w * 4;
      bytes = g_bytes_ref (entry->rgba);
      g_mutex_lock (&self->mutex);
      g_hash_table_replace (self->rgba_cache, g_steal_pointer (&key), entry);
      g_mutex_unlock (&self->mutex);
    }

  if (width != NULL)
    *width = w;
  if (height != NULL)
    *height = h;
  if (stride != NULL)
    *stride = (gsize) w * 4;
  if (scale != NULL)
    *scale = full_w > 0 ? (double) w / full_w : 1.0;
  return bytes;
}

/* ------------------------------------------------------------ labels */

int
derm_comparison_get_session_number (DermComparison      *self,
                                    DermComparisonImage  which)
{
  g_return_val_if_fail (DERM_IS_COMPARISON (self), 0);
  return self->session_numbers[which == DERM_COMPARISON_IMAGE_BEFORE ? SLOT_BEFORE : SLOT_AFTER];
}

/* "12 March 2024" from "2024-03-12...", or the text as it is */
static char *
format_date (const char *iso)
{
  char *text;

  if (iso == NULL)
    return g_strdup (_("Unknown date"));
  text = derm_date_format_display (iso, TRUE);
  return text != NULL ? text : g_strdup (iso);
}

char *
derm_comparison_dup_label (DermComparison      *self,
                           DermComparisonImage  which)
{
  DermPhoto *photo;
  g_autofree char *date = NULL;
  int session;

  g_return_val_if_fail (DERM_IS_COMPARISON (self), NULL);

  photo = self->photos[which == DERM_COMPARISON_IMAGE_BEFORE ? SLOT_BEFORE : SLOT_AFTER];
  date = format_date (photo_sort_date (photo));
  session = derm_comparison_get_session_number (self, which);
  if (session > 0)
    /* TRANSLATORS: date · session number · view, e.g. "12 March 2024 · Session 2 · Front" */
    return g_strdup_printf (_("%s · Session %d · %s"), date, session,
                            derm_photo_view_to_label (derm_photo_get_view (photo)));
  /* TRANSLATORS: date · view of a photo that belongs to no session */
  return g_strdup_printf (_("%s · %s"), date, derm_photo_view_to_label (derm_photo_get_view (photo)));
}

/* ------------------------------------------------------------ settings */

void
derm_comparison_set_white_balance (DermComparison       *self,
                                   DermWhiteBalanceMode  mode)
{
  g_return_if_fail (DERM_IS_COMPARISON (self));
  g_return_if_fail (mode <= DERM_WB_CHART);

  if (self->wb_mode == mode)
    return;
  self->wb_mode = mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WHITE_BALANCE]);
}

DermWhiteBalanceMode
derm_comparison_get_white_balance (DermComparison *self)
{
  g_return_val_if_fail (DERM_IS_COMPARISON (self), DERM_WB_NONE);
  return self->wb_mode;
}

void
derm_comparison_set_wb_patch (DermComparison *self,
                              int             x,
                              int             y,
                              int             width,
                              int             height)
{
  g_return_if_fail (DERM_IS_COMPARISON (self));

  self->patch[0] = x;
  self->patch[1] = y;
  self->patch[2] = width;
  self->patch[3] = height;
}

void
derm_comparison_set_chart_corners (DermComparison *self,
                                   const double   *corners)
{
  g_return_if_fail (DERM_IS_COMPARISON (self));

  self->chart_marked = corners != NULL;
  if (corners != NULL)
    memcpy (self->chart_corners, corners, sizeof self->chart_corners);
}

gboolean
derm_comparison_get_chart_corners (DermComparison *self,
                                   double          corners[8])
{
  g_return_val_if_fail (DERM_IS_COMPARISON (self), FALSE);

  if (self->chart_marked && corners != NULL)
    memcpy (corners, self->chart_corners, sizeof self->chart_corners);
  return self->chart_marked;
}

void
derm_comparison_get_settings (DermComparison       *self,
                              DermAnalysisSettings *settings)
{
  g_return_if_fail (DERM_IS_COMPARISON (self));
  g_return_if_fail (settings != NULL);

  derm_analysis_settings_init (settings);
  settings->wb_mode = self->wb_mode;
  if (self->wb_mode == DERM_WB_PATCH)
    {
      settings->patch_x = self->patch[0];
      settings->patch_y = self->patch[1];
      settings->patch_width = self->patch[2];
      settings->patch_height = self->patch[3];
    }
  if (self->wb_mode == DERM_WB_CHART && self->chart_marked)
    {
      settings->chart_manual = 1;
      memcpy (settings->chart_corners, self->chart_corners, sizeof settings->chart_corners);
    }
}

/* ------------------------------------------------------------ regions */

GListModel *
derm_comparison_get_regions (DermComparison *self)
{
  g_return_val_if_fail (DERM_IS_COMPARISON (self), NULL);
  return G_LIST_MODEL (self->regions);
}

typedef struct
{
  DermStore           *store;
  gint64               client_id;
  DermPhotoView        view;
  char                *before_sha256;
  char                *after_sha256;
  DermPhotoLibrary    *library;
  Img                 *before;                /* full, or preview when not loaded */
  double               before_scale;          /* @before pixels per full pixel */
  gboolean             has_alignment;
  double               h[9];                  /* after -> before, full pixels */
  GPtrArray           *regions;               /* result: DermRegion in the before frame */
  guint                n_skipped;
} RegionsData;

static void
regions_data_free (gpointer data)
{
  RegionsData *d = data;

  g_clear_object (&d->store);
  g_clear_object (&d->library);
  g_free (d->before_sha256);
  g_free (d->after_sha256);
  img_unref (d->before);
  g_clear_pointer (&d->regions, g_ptr_array_unref);
  g_free (d);
}

/* The homography frame photo -> before photo (full pixels), by aligning
 * the frame photo onto the before photo */
static gboolean
align_frame (RegionsData *d,
             const char  *frame_sha256,
             double       h[9],
             GError     **error)
{
  g_autoptr (DermPhoto) photo = NULL;
  g_autofree char *path = NULL;
  DermImage *frame = NULL;
  DermAlignment *al = NULL;
  DermAlignmentResult r;
  DermError err;
  double s = d->before_scale;
  int status;

  photo = derm_store_find_photo (d->store, d->client_id, frame_sha256, error);
  if (photo == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, DERM_COMPARISON_ERROR, DERM_COMPARISON_ERROR_PHOTO_REMOVED,
                             _("The photo a region was drawn on is no longer there"));
      return FALSE;
    }
  path = derm_photo_library_get_original_path (d->library, frame_sha256);
  frame = derm_photo_decode_file (path, derm_photo_format_from_mime (derm_photo_get_mime_type (photo)),
                                  0, NULL, NULL, error);
  if (frame == NULL)
    return FALSE;
  status = derm_align (d->before->image, frame, NULL, &al, &err);
  derm_image_free (frame);
  if (status != DERM_STATUS_OK)
    {
      g_autofree char *message = derm_imaging_error_message (&err);

      g_set_error_literal (error, DERM_COMPARISON_ERROR, DERM_COMPARISON_ERROR_ALIGNMENT_REFUSED, message);
      return FALSE;
    }
  derm_alignment_get_result (al, &r);
  derm_alignment_free (al);
  /* r.h maps frame pixels to @before pixels; @before may be a reduced
   * decode, so scale back to the before photo's full pixels */
  for (guint i = 0; i < 9; i++)
    h[i] = r.h[i];
  h[0] /= s, h[1] /= s, h[2] /= s;
  h[3] /= s, h[4] /= s, h[5] /= s;
  return TRUE;
}

static void
regions_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  RegionsData *d = task_data;
  g_autoptr (GPtrArray) saved = NULL;
  g_autoptr (GHashTable) frames = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GError *error = NULL;

  saved = derm_store_list_regions (d->store, d->client_id, d->view, &error);
  if (saved == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  d->regions = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < saved->len; i++)
    {
      DermRegion *region = g_ptr_array_index (saved, i);
      const char *frame = derm_region_get_frame_sha256 (region);
      double *h;

      if (g_task_return_error_if_cancelled (task))
        return;
      if (g_strcmp0 (frame, d->before_sha256) == 0)
        {
          g_ptr_array_add (d->regions, g_object_ref (region));
          continue;
        }
      if (g_strcmp0 (frame, d->after_sha256) == 0 && d->has_alignment)
        {
          g_ptr_array_add (d->regions, derm_region_map (region, d->h, d->before_sha256));
          continue;
        }
      h = g_hash_table_lookup (frames, frame);
      if (h == NULL && !g_hash_table_contains (frames, frame))
        {
          g_autoptr (GError) local = NULL;

          h = g_new (double, 9);
          if (!align_frame (d, frame, h, &local))
            {
              g_debug ("Region %s not mapped: %s", derm_region_get_name (region), local->message);
              g_clear_pointer (&h, g_free);
            }
          g_hash_table_insert (frames, g_strdup (frame), h);
        }
      if (h == NULL)
        {
          d->n_skipped++;
          continue;
        }
      g_ptr_array_add (d->regions, derm_region_map (region, h, d->before_sha256));
    }
  g_task_return_boolean (task, TRUE);
}

void
derm_comparison_load_regions_async (DermComparison      *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  RegionsData *d;
  GError *error = NULL;
  DermPhoto *before;

  g_return_if_fail (DERM_IS_COMPARISON (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, derm_comparison_load_regions_async);
  if (!check_not_removed (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  before = self->photos[SLOT_BEFORE];
  d = g_new0 (RegionsData, 1);
  d->store = g_object_ref (get_store (self));
  d->library = g_object_ref (self->library);
  d->client_id = derm_photo_get_client_id (before);
  d->view = derm_photo_get_view (before);
  d->before_sha256 = g_strdup (derm_photo_get_sha256 (before));
  d->after_sha256 = g_strdup (derm_photo_get_sha256 (self->photos[SLOT_AFTER]));
  g_mutex_lock (&self->mutex);
  d->before = img_ref (self->full[SLOT_BEFORE] ? self->full[SLOT_BEFORE] : self->preview[SLOT_BEFORE]);
  d->before_scale = d->before != NULL && self->full_size[SLOT_BEFORE][0] > 0
                    ? (double) derm_image_get_width (d->before->image) / self->full_size[SLOT_BEFORE][0] : 1.0;
  d->has_alignment = self->has_alignment;
  memcpy (d->h, self->alignment.h, sizeof d->h);
  g_mutex_unlock (&self->mutex);
  g_task_set_task_data (task, d, regions_data_free);

  if (d->before == NULL)
    {
      g_task_return_new_error (task, DERM_COMPARISON_ERROR, DERM_COMPARISON_ERROR_NOT_READY,
                               _("The photos are still loading; try again when they are shown"));
      return;
    }
  g_task_run_in_thread (task, regions_thread);
}

gboolean
derm_comparison_load_regions_finish (DermComparison  *self,
                                     GAsyncResult    *result,
                                     guint           *n_skipped,
                                     GError         **error)
{
  RegionsData *d;

  g_return_val_if_fail (DERM_IS_COMPARISON (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  d = g_task_get_task_data (G_TASK (result));
  g_list_store_splice (self->regions, 0, g_list_model_get_n_items (G_LIST_MODEL (self->regions)),
                       d->regions->pdata, d->regions->len);
  if (n_skipped != NULL)
    *n_skipped = d->n_skipped;
  return TRUE;
}

gboolean
derm_comparison_save_region (DermComparison  *self,
                             DermRegion      *region,
                             GError         **error)
{
  DermPhoto *before;
  guint position;

  g_return_val_if_fail (DERM_IS_COMPARISON (self), FALSE);
  g_return_val_if_fail (DERM_IS_REGION (region), FALSE);

  if (!check_not_removed (self, error))
    return FALSE;
  before = self->photos[SLOT_BEFORE];
  derm_region_set_client_id (region, derm_photo_get_client_id (before));
  derm_region_set_view (region, derm_photo_get_view (before));
  derm_region_set_frame_sha256 (region, derm_photo_get_sha256 (before));
  if (!derm_store_save_region (get_store (self), region, error))
    return FALSE;
  if (!g_list_store_find (self->regions, region, &position))
    g_list_store_append (self->regions, region);
  return TRUE;
}

gboolean
derm_comparison_remove_region (DermComparison  *self,
                               DermRegion      *region,
                               GError         **error)
{
  guint position;

  g_return_val_if_fail (DERM_IS_COMPARISON (self), FALSE);
  g_return_val_if_fail (DERM_IS_REGION (region), FALSE);

  if (derm_region_get_id (region) != 0
      && !derm_store_delete_region (get_store (self), derm_region_get_id (region), error))
    return FALSE;
  if (g_list_store_find (self->regions, region, &position))
    g_list_store_remove (self->regions, position);
  return TRUE;
}

/* ------------------------------------------------------------ metrics */

void
derm_comparison_metrics_free (DermComparisonMetrics *metrics)
{
  if (metrics == NULL)
    return;
  g_free (metrics->region_name);
  g_free (metrics->settings_key);
  g_free (metrics->settings_label);
  g_free (metrics);
}

typedef struct
{
  DermStore             *store;
  Img                   *before;
  Img                   *after;      /* measured in its own pixels through h */
  double                 h[9];
  DermRegion            *region;     /* a private copy, or NULL */
  DermAnalysisSettings   settings;
  char                  *before_sha256;
  char                  *pair;
  gboolean               manual;
  DermComparisonMetrics *result;
} MetricsData;

static void
metrics_data_free (gpointer data)
{
  MetricsData *d = data;

  g_clear_object (&d->store);
  img_unref (d->before);
  img_unref (d->after);
  g_clear_object (&d->region);
  g_free (d->before_sha256);
  g_free (d->pair);
  derm_comparison_metrics_free (d->result);
  g_free (d);
}

static void
metrics_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  DermComparison *self = source_object;
  MetricsData *d = task_data;
  g_autofree char *region_hash = NULL;
  g_autofree char *cached = NULL;
  g_autoptr (GArray) storage = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GError) cache_error = NULL;
  DermAnalysisKey key = { 0 };
  DermRoi roi = { .kind = DERM_ROI_WHOLE };
  DermError err;
  int status;

  d->result = g_new0 (DermComparisonMetrics, 1);
  d->result->settings_key = derm_analysis_settings_to_key (&d->settings);
  d->result->settings_label = derm_analysis_settings_describe (&d->settings);
  d->result->manual_alignment = d->manual;
  if (d->region != NULL)
    {
      d->result->region_name = g_strdup (derm_region_get_name (d->region));
      region_hash = derm_region_dup_geometry_hash (d->region);
      derm_region_to_roi (d->region, 1.0, storage, &roi);
    }

  key.sha256 = d->before_sha256;
  key.pair = d->pair;
  key.region_hash = region_hash != NULL ? region_hash : "";
  key.settings = d->result->settings_key;
  key.algorithm_version = DERM_IMAGING_ALGORITHM_VERSION;

  cached = derm_store_lookup_analysis (d->store, &key, &cache_error);
  if (cache_error != NULL)
    g_warning ("Analysis cache not readable: %s", cache_error->message);
  if (cached != NULL && derm_compare_metrics_from_json (cached, &d->result->values, NULL)
      && d->result->values.algorithm_version == DERM_IMAGING_ALGORITHM_VERSION)
    {
      d->result->from_cache = TRUE;
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    return;
  status = derm_compare_metrics_compute (d->before->image, d->after->image, d->h, &roi, &d->settings,
                                         &d->result->values, &err);
  if (status != DERM_STATUS_OK)
    {
      g_autofree char *message = derm_imaging_error_message (&err);

      g_task_return_new_error (task, DERM_COMPARISON_ERROR, DERM_COMPARISON_ERROR_IMAGING, "%s", message);
      return;
    }
  g_atomic_int_inc (&self->n_computed);

  {
    g_autofree char *json = derm_compare_metrics_to_json (&d->result->values);
    g_autoptr (GError) save_error = NULL;

    /* A cache that cannot be written costs time later, not correctness */
    if (!derm_store_save_analysis (d->store, &key, json, &save_error))
      g_warning ("Analysis not cached: %s", save_error->message);
  }
  g_task_return_boolean (task, TRUE);
}

void
derm_comparison_compute_metrics_async (DermComparison      *self,
                                       DermRegion          *region,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  MetricsData *d;
  GError *error = NULL;

  g_return_if_fail (DERM_IS_COMPARISON (self));
  g_return_if_fail (region == NULL || DERM_IS_REGION (region));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, derm_comparison_compute_metrics_async);
  if (!check_not_removed (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  d = g_new0 (MetricsData, 1);
  g_task_set_task_data (task, d, metrics_data_free);
  g_mutex_lock (&self->mutex);
  if (self->has_alignment && self->aligned != NULL && self->full[SLOT_BEFORE] != NULL
      && self->full[SLOT_AFTER] != NULL)
    {
      d->before = img_ref (self->full[SLOT_BEFORE]);
      d->after = img_ref (self->full[SLOT_AFTER]);
      memcpy (d->h, self->alignment.h, sizeof d->h);
      d->manual = self->manual;
      d->pair = pair_key (derm_photo_get_sha256 (self->photos[SLOT_AFTER]), self->manual, self->alignment.h);
    }
  g_mutex_unlock (&self->mutex);
  if (d->before == NULL)
    {
      g_task_return_new_error (task, DERM_COMPARISON_ERROR, DERM_COMPARISON_ERROR_NOT_ALIGNED,
                               _("Align the photos first, automatically or by marking matching points"));
      return;
    }
  d->store = g_object_ref (get_store (self));
  d->region = region != NULL ? derm_region_copy (region, TRUE) : NULL;
  d->before_sha256 = g_strdup (derm_photo_get_sha256 (self->photos[SLOT_BEFORE]));
  derm_comparison_get_settings (self, &d->settings);
  g_task_run_in_thread (task, metrics_thread);
}

DermComparisonMetrics *
derm_comparison_compute_metrics_finish (DermComparison  *self,
                                        GAsyncResult    *result,
                                        GError         **error)
{
  MetricsData *d;

  g_return_val_if_fail (DERM_IS_COMPARISON (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  d = g_task_get_task_data (G_TASK (result));
  return g_steal_pointer (&d->result);
}

guint
derm_comparison_get_n_computed (DermComparison *self)
{
  g_return_val_if_fail (DERM_IS_COMPARISON (self), 0);
  return (guint) g_atomic_int_get (&self->n_computed);
}

/* ------------------------------------------------------------ maps */

void
derm_comparison_map_free (DermComparisonMap *map)
{
  if (map == NULL)
    return;
  g_clear_pointer (&map->rgba, g_bytes_unref);
  g_free (map->units);
  g_free (map->description);
  g_free (map);
}

typedef struct
{
  DermComparisonMapKind  kind;
  Img                   *before;
  Img                   *aligned;   /* NULL for A_STAR_BEFORE */
  DermRegion            *region;
  DermAnalysisSettings   settings;
  int                    max_side;
  DermComparisonMap     *result;
} MapData;

static void
map_data_free (gpointer data)
{
  MapData *d = data;

  img_unref (d->before);
  img_unref (d->aligned);
  g_clear_object (&d->region);
  derm_comparison_map_free (d->result);
  g_free (d);
}

static void
map_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  MapData *d = task_data;
  g_autoptr (GArray) storage = g_array_new (FALSE, FALSE, sizeof (double));
  DermImage *before_small = NULL, *after_small = NULL;
  const DermImage *before = d->before->image;
  const DermImage *after = d->aligned != NULL ? d->aligned->image : NULL;
  DermAnalysisSettings settings = d->settings;
  DermRoi roi = { .kind = DERM_ROI_WHOLE };
  DermMap *map = NULL;
  DermError err;
  double scale = 1.0;
  const guint8 *rgba;
  int status = DERM_STATUS_OK, w, h;
  size_t stride;

  if (d->max_side > 0 && MAX (derm_image_get_width (before), derm_image_get_height (before)) > d->max_side)
    {
      status = derm_image_resize (before, d->max_side, &before_small, &err);
      if (status == DERM_STATUS_OK && after != NULL)
        status = derm_image_resize (after, d->max_side, &after_small, &err);
      if (status == DERM_STATUS_OK)
        {
          scale = (double) derm_image_get_width (before_small) / derm_image_get_width (before);
          before = before_small;
          if (after != NULL)
            after = after_small;
          settings.patch_x = (int) lround (settings.patch_x * scale);
          settings.patch_y = (int) lround (settings.patch_y * scale);
          settings.patch_width = MAX (1, (int) lround (settings.patch_width * scale));
          settings.patch_height = MAX (1, (int) lround (settings.patch_height * scale));
          for (guint i = 0; i < G_N_ELEMENTS (settings.chart_corners); i++)
            settings.chart_corners[i] *= scale;
        }
    }
  if (status == DERM_STATUS_OK && d->region != NULL)
    derm_region_to_roi (d->region, scale, storage, &roi);

  if (status == DERM_STATUS_OK)
    {
      switch (d->kind)
        {
        case DERM_COMPARISON_MAP_A_STAR_BEFORE:
          status = derm_map_new_a_star (before, &roi, &settings, &map, &err);
          break;
        case DERM_COMPARISON_MAP_A_STAR_AFTER:
          status = derm_map_new_a_star (after, &roi, &settings, &map, &err);
          break;
        case DERM_COMPARISON_MAP_DIFFERENCE:
        default:
          status = derm_map_new_difference (before, after, &roi, &settings, &map, &err);
          break;
        }
    }
  derm_image_free (before_small);
  derm_image_free (after_small);
  if (status != DERM_STATUS_OK)
    {
      g_autofree char *message = derm_imaging_error_message (&err);

      g_task_return_new_error (task, DERM_COMPARISON_ERROR, DERM_COMPARISON_ERROR_IMAGING, "%s", message);
      return;
    }

  d->result = g_new0 (DermComparisonMap, 1);
  rgba = derm_map_get_rgba (map, &w, &h, &stride);
  d->result->rgba = g_bytes_new (rgba, stride * (size_t) h);
  d->result->width = w;
  d->result->height = h;
  d->result->stride = stride;
  d->result->scale = scale;
  derm_map_get_legend (map, &d->result->legend);
  derm_map_free (map);
  if (d->kind == DERM_COMPARISON_MAP_DIFFERENCE)
    {
      d->result->units = g_strdup (_("Change in a* (CIELAB units)"));
      d->result->description = derm_map_legend_describe_difference (&d->result->legend);
    }
  else
    {
      d->result->units = g_strdup (_("a* (CIELAB units)"));
      d->result->description =
        g_strdup_printf (_("Redness (a*) from %.0f to %.0f CIELAB units; higher is redder"),
                         d->result->legend.value_min, d->result->legend.value_max);
    }
  g_task_return_boolean (task, TRUE);
}

void
derm_comparison_compute_map_async (DermComparison        *self,
                                   DermComparisonMapKind  kind,
                                   DermRegion            *region,
                                   int                    max_side,
                                   GCancellable          *cancellable,
                                   GAsyncReadyCallback    callback,
                                   gpointer               user_data)
{
  g_autoptr (GTask) task = NULL;
  MapData *d;
  GError *error = NULL;

  g_return_if_fail (DERM_IS_COMPARISON (self));
  g_return_if_fail (region == NULL || DERM_IS_REGION (region));
  g_return_if_fail (max_side >= 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, derm_comparison_compute_map_async);
  if (!check_not_removed (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  d = g_new0 (MapData, 1);
  d->kind = kind;
  d->max_side = max_side;
  d->region = region != NULL ? derm_region_copy (region, TRUE) : NULL;
  derm_comparison_get_settings (self, &d->settings);
  g_task_set_task_data (task, d, map_data_free);

  g_mutex_lock (&self->mutex);
  d->before = img_ref (self->full[SLOT_BEFORE]);
  if (kind != DERM_COMPARISON_MAP_A_STAR_BEFORE && self->has_alignment)
    d->aligned = img_ref (self->aligned);
  g_mutex_unlock (&self->mutex);

  if (d->before == NULL)
    {
      g_task_return_new_error (task, DERM_COMPARISON_ERROR, DERM_COMPARISON_ERROR_NOT_READY,
                               _("The photos are still loading; try again when they are shown sharp"));
      return;
    }
  if (kind != DERM_COMPARISON_MAP_A_STAR_BEFORE && d->aligned == NULL)
    {
      g_task_return_new_error (task, DERM_COMPARISON_ERROR, DERM_COMPARISON_ERROR_NOT_ALIGNED,
                               _("Align the photos first, automatically or by marking matching points"));
      return;
    }
  g_task_run_in_thread (task, map_thread);
}

DermComparisonMap *
derm_comparison_compute_map_finish (DermComparison  *self,
                                    GAsyncResult    *result,
                                    GError         **error)
{
  MapData *d;

  g_return_val_if_fail (DERM_IS_COMPARISON (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  d = g_task_get_task_data (G_TASK (result));
  return g_steal_pointer (&d->result);
}

/* ------------------------------------------------------------ removal */

gboolean
derm_comparison_check_photos (DermComparison *self)
{
  g_return_val_if_fail (DERM_IS_COMPARISON (self), FALSE);

  if (is_removed (self))
    return FALSE;
  for (guint i = 0; i < N_PHOTOS; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (DermPhoto) row = derm_store_get_photo (get_store (self), derm_photo_get_id (self->photos[i]), &error);

      if ((row == NULL && g_error_matches (error, DERM_STORE_ERROR, DERM_STORE_ERROR_NOT_FOUND))
          || (row != NULL && derm_photo_get_removed_at (row) != NULL))
        {
          photo_removed (self, self->photos[i]);
          return FALSE;
        }
    }
  return TRUE;
}
