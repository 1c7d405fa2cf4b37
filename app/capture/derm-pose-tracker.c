/* derm-pose-tracker.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-capture"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-imaging-error.h"
#include "derm-pose-tracker.h"

struct _DermPoseTracker
{
  GObject            parent_instance;

  GMainContext      *context;
  GThread           *thread;

  GMutex             mutex;       /* everything below */
  GCond              cond;
  gboolean           quit;
  gboolean           scoring;     /* the thread uses the reference unlocked */
  DermPoseReference *reference;
  DermCameraFrame   *pending;
  gboolean           has_pose;
  DermPose           pose;
  char              *message;
  guint              n_scored;
  gint64             busy_usec;
};

G_DEFINE_FINAL_TYPE (DermPoseTracker, derm_pose_tracker, G_TYPE_OBJECT)

enum
{
  SIGNAL_SCORED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
emit_scored (gpointer data)
{
  GWeakRef *ref = data;
  g_autoptr (DermPoseTracker) self = g_weak_ref_get (ref);

  if (self != NULL)
    g_signal_emit (self, signals[SIGNAL_SCORED], 0);
  return G_SOURCE_REMOVE;
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static gpointer
tracker_thread (gpointer data)
{
  DermPoseTracker *self = data;

  g_mutex_lock (&self->mutex);
  for (;;)
    {
      g_autoptr (DermCameraFrame) frame = NULL;
      DermPose pose;
      DermError err;
      gint64 start;
      int status;
      GWeakRef *ref;

      while (!self->quit && (self->pending == NULL || self->reference == NULL))
        g_cond_wait (&self->cond, &self->mutex);
      if (self->quit)
        break;
      frame = g_steal_pointer (&self->pending);
      /* set_reference () waits for the end of this score to swap it */
      self->scoring = TRUE;
      g_mutex_unlock (&self->mutex);

      start = g_get_monotonic_time ();
      status = derm_pose_estimate (self->reference,
                                   derm_camera_frame_get_width (frame),
                                   derm_camera_frame_get_height (frame),
                                   g_bytes_get_data (derm_camera_frame_get_pixels (frame), NULL),
                                   derm_camera_frame_get_stride (frame),
                                   &pose, &err);

      g_mutex_lock (&self->mutex);
      self->scoring = FALSE;
      g_cond_broadcast (&self->cond);
      self->busy_usec += g_get_monotonic_time () - start;
      self->n_scored++;
      self->has_pose = status == DERM_STATUS_OK;
      self->pose = pose;
      g_clear_pointer (&self->message, g_free);
      if (status != DERM_STATUS_OK)
        self->message = derm_imaging_error_message (&err);

      ref = g_new0 (GWeakRef, 1);
      g_weak_ref_init (ref, self);
      g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, emit_scored, ref, weak_ref_free);
    }
  g_mutex_unlock (&self->mutex);
  return NULL;
}

static void
derm_pose_tracker_dispose (GObject *object)
{
  DermPoseTracker *self = DERM_POSE_TRACKER (object);

  if (self->thread != NULL)
    {
      g_mutex_lock (&self->mutex);
      self->quit = TRUE;
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->mutex);
      g_thread_join (g_steal_pointer (&self->thread));
    }

  G_OBJECT_CLASS (derm_pose_tracker_parent_class)->dispose (object);
}

static void
derm_pose_tracker_finalize (GObject *object)
{
  DermPoseTracker *self = DERM_POSE_TRACKER (object);

  g_clear_pointer (&self->reference, derm_pose_reference_free);
  g_clear_pointer (&self->pending, derm_camera_frame_unref);
  g_clear_pointer (&self->message, g_free);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (derm_pose_tracker_parent_class)->finalize (object);
}

static void
derm_pose_tracker_class_init (DermPoseTrackerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = derm_pose_tracker_dispose;
  object_class->finalize = derm_pose_tracker_finalize;

  /**
   * DermPoseTracker::scored:
   *
   * A frame was scored; derm_pose_tracker_get_pose () has the result.
   */
  signals[SIGNAL_SCORED] =
    g_signal_new ("scored", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
derm_pose_tracker_init (DermPoseTracker *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->context = g_main_context_ref_thread_default ();
  self->thread = g_thread_new ("derm-pose", tracker_thread, self);
}

DermPoseTracker *
derm_pose_tracker_new (void)
{
  return g_object_new (DERM_TYPE_POSE_TRACKER, NULL);
}

void
derm_pose_tracker_set_reference (DermPoseTracker   *self,
                                 DermPoseReference *reference)
{
  DermPoseReference *old;

  g_return_if_fail (DERM_IS_POSE_TRACKER (self));

  g_mutex_lock (&self->mutex);
  while (self->scoring)
    g_cond_wait (&self->cond, &self->mutex);
  old = self->reference;
  self->reference = reference;
  self->has_pose = FALSE;
  g_clear_pointer (&self->message, g_free);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
  derm_pose_reference_free (old);
}

void
derm_pose_tracker_push_frame (DermPoseTracker *self,
                              DermCameraFrame *frame)
{
  g_return_if_fail (DERM_IS_POSE_TRACKER (self));
  g_return_if_fail (frame != NULL);

  g_mutex_lock (&self->mutex);
  g_clear_pointer (&self->pending, derm_camera_frame_unref);
  self->pending = derm_camera_frame_ref (frame);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

gboolean
derm_pose_tracker_get_pose (DermPoseTracker  *self,
                            DermPose         *pose,
                            char            **message)
{
  gboolean found;

  g_return_val_if_fail (DERM_IS_POSE_TRACKER (self), FALSE);

  g_mutex_lock (&self->mutex);
  found = self->has_pose;
  if (found && pose != NULL)
    *pose = self->pose;
  if (message != NULL)
    *message = found ? NULL : g_strdup (self->message != NULL ? self->message : _("Comparing with the baseline…"));
  g_mutex_unlock (&self->mutex);
  return found;
}

guint
derm_pose_tracker_get_n_scored (DermPoseTracker *self)
{
  guint n;

  g_return_val_if_fail (DERM_IS_POSE_TRACKER (self), 0);

  g_mutex_lock (&self->mutex);
  n = self->n_scored;
  g_mutex_unlock (&self->mutex);
  return n;
}

gint64
derm_pose_tracker_get_busy_usec (DermPoseTracker *self)
{
  gint64 usec;

  g_return_val_if_fail (DERM_IS_POSE_TRACKER (self), 0);

  g_mutex_lock (&self->mutex);
  usec = self->busy_usec;
  g_mutex_unlock (&self->mutex);
  return usec;
}
