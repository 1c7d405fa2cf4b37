/* derm-pose-tracker.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Scores camera frames against the baseline photo on a thread of its own:
 * frames are handed in from any thread (the camera's streaming thread),
 * only the latest waits, and each score (derm_pose_estimate ()) comes back
 * on the main context of the tracker's creator as a "scored" signal. A
 * slow score never slows the preview: frames that arrive meanwhile are
 * dropped, not queued.
 */
#pragma once

#include <glib-object.h>

#include "derm-camera.h"
#include "derm-capture-check.h"

G_BEGIN_DECLS

#define DERM_TYPE_POSE_TRACKER (derm_pose_tracker_get_type ())
G_DECLARE_FINAL_TYPE (DermPoseTracker, derm_pose_tracker, DERM, POSE_TRACKER, GObject)

DermPoseTracker *derm_pose_tracker_new           (void);
/* Scores against @reference from now on, which the tracker takes; NULL
 * stops scoring */
void             derm_pose_tracker_set_reference (DermPoseTracker   *self,
                                                  DermPoseReference *reference);
/* Any thread */
void             derm_pose_tracker_push_frame    (DermPoseTracker   *self,
                                                  DermCameraFrame   *frame);
/* The latest score: TRUE and @pose when the frame matched the baseline;
 * FALSE and, in @message (nullable, translated, free it), why not */
gboolean         derm_pose_tracker_get_pose      (DermPoseTracker   *self,
                                                  DermPose          *pose,
                                                  char             **message);
/* Frames scored so far, and the time the scores took on the tracker's
 * thread, in microseconds */
guint            derm_pose_tracker_get_n_scored  (DermPoseTracker   *self);
gint64           derm_pose_tracker_get_busy_usec (DermPoseTracker   *self);

G_END_DECLS
