/* derm-camera.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A camera as a GStreamer pipeline ending in an appsink that hands out
 * 8-bit RGB frames:
 *
 *   source ! decodebin ! videoconvert ! video/x-raw,format=RGB ! appsink
 *
 * The source is a USB or web camera (v4l2src, found by a GstDeviceMonitor),
 * the Camera portal's PipeWire remote inside the Flatpak (pipewiresrc,
 * derm-camera-portal.h), GStreamer's test source, or photos played as a
 * camera through an appsrc (tests, demonstrations). Frames arrive on
 * GStreamer's streaming thread: the frame function runs there, so the
 * work on a frame (a texture, a pose score) never waits for the main loop.
 * Errors and the end of a stream come back on the main context of the
 * caller of derm_camera_start ().
 */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

G_BEGIN_DECLS

#define DERM_CAMERA_ERROR (derm_camera_error_quark ())
GQuark derm_camera_error_quark (void);

typedef enum
{
  DERM_CAMERA_ERROR_NO_CAMERA,   /* no camera connected, or access refused */
  DERM_CAMERA_ERROR_FAILED,      /* the camera stopped or could not start */
  DERM_CAMERA_ERROR_MISSING,     /* a GStreamer element is not installed */
  DERM_CAMERA_ERROR_PHOTOS,      /* photos played as a camera could not be read */
} DermCameraError;

/* One frame: RGB, rows of width * 3 bytes at stride. Immutable, shared
 * between threads by reference. */
typedef struct _DermCameraFrame DermCameraFrame;

#define DERM_TYPE_CAMERA_FRAME (derm_camera_frame_get_type ())
GType            derm_camera_frame_get_type   (void) G_GNUC_CONST;
DermCameraFrame *derm_camera_frame_new        (int              width,
                                               int              height,
                                               gsize            stride,
                                               GBytes          *pixels,
                                               guint64          number);
DermCameraFrame *derm_camera_frame_ref        (DermCameraFrame *frame);
void             derm_camera_frame_unref      (DermCameraFrame *frame);
int              derm_camera_frame_get_width  (DermCameraFrame *frame);
int              derm_camera_frame_get_height (DermCameraFrame *frame);
gsize            derm_camera_frame_get_stride (DermCameraFrame *frame);
/* Borrowed */
GBytes          *derm_camera_frame_get_pixels (DermCameraFrame *frame);
/* 1 for the first frame since the camera started */
guint64          derm_camera_frame_get_number (DermCameraFrame *frame);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DermCameraFrame, derm_camera_frame_unref)

/* Runs on GStreamer's streaming thread for every frame */
typedef void (*DermCameraFrameFunc) (DermCameraFrame *frame,
                                     gpointer         user_data);

#define DERM_TYPE_CAMERA (derm_camera_get_type ())
G_DECLARE_FINAL_TYPE (DermCamera, derm_camera, DERM, CAMERA, GObject)

/* GStreamer's test source (videotestsrc, live) at @width x @height and
 * @fps; @pattern is one of its patterns ("smpte", "ball", ...) */
DermCamera      *derm_camera_new_test         (const char       *pattern,
                                               int               width,
                                               int               height,
                                               int               fps);
/* The photos at @paths (JPEG or PNG, upright, every one of the first's
 * size once its longer side is brought to @max_side or less) played in a
 * loop at @fps through an appsrc */
DermCamera      *derm_camera_new_for_photos   (const char *const *paths,
                                               int               max_side,
                                               int               fps,
                                               GError          **error);
/* A camera a GstDeviceMonitor found (derm_camera_list_devices ()) */
DermCamera      *derm_camera_new_for_device   (GstDevice        *device);
/* The cameras of a PipeWire remote (the Camera portal's, whose fd this
 * takes over) through pipewiresrc */
DermCamera      *derm_camera_new_for_pipewire (int               fd);

/* The video sources connected (GstDevice, class Video/Source), probed
 * with a GstDeviceMonitor; blocks for the probe: call from a worker */
GPtrArray       *derm_camera_list_devices     (void);

/* A description for the user: the device's name, "Test pattern", ... */
const char      *derm_camera_get_name         (DermCamera       *self);
void             derm_camera_set_frame_func   (DermCamera       *self,
                                               DermCameraFrameFunc func,
                                               gpointer         user_data,
                                               GDestroyNotify   destroy);
/* Settings of a V4L2 camera (v4l2src's extra-controls), such as
 * "controls,auto_exposure=1,exposure_time_absolute=250"; NULL for the
 * camera's own. Takes effect at the next start. */
void             derm_camera_set_controls     (DermCamera       *self,
                                               const GstStructure *controls);
gboolean         derm_camera_get_supports_controls (DermCamera *self);
/* Builds the pipeline and sets it playing; FALSE with @error when it
 * cannot be built or refuses to start. Later failures: "failed". */
gboolean         derm_camera_start            (DermCamera       *self,
                                               GError          **error);
void             derm_camera_stop             (DermCamera       *self);
gboolean         derm_camera_get_running      (DermCamera       *self);
/* The latest frame, or NULL before the first. Any thread. */
DermCameraFrame *derm_camera_dup_last_frame   (DermCamera       *self);
/* Frames delivered since the start. Any thread. */
guint64          derm_camera_get_n_frames     (DermCamera       *self);

G_END_DECLS
