/* derm-camera.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-camera"

#include "config.h"

#include <glib/gi18n.h>
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/video/video.h>
#include <unistd.h>

#include "derm-camera.h"
#include "derm-imaging-error.h"
#include "derm-imaging.h"

G_DEFINE_QUARK (derm-camera-error-quark, derm_camera_error)

/* --- frames -------------------------------------------------------------- */

struct _DermCameraFrame
{
  gatomicrefcount ref_count;
  int             width;
  int             height;
  gsize           stride;
  GBytes         *pixels;
  guint64         number;
};

G_DEFINE_BOXED_TYPE (DermCameraFrame, derm_camera_frame, derm_camera_frame_ref, derm_camera_frame_unref)

DermCameraFrame *
derm_camera_frame_new (int      width,
                       int      height,
                       gsize    stride,
                       GBytes  *pixels,
                       guint64  number)
{
  DermCameraFrame *frame;

  g_return_val_if_fail (width > 0 && height > 0, NULL);
  g_return_val_if_fail (stride >= (gsize) width * 3, NULL);
  g_return_val_if_fail (pixels != NULL && g_bytes_get_size (pixels) >= stride * (gsize) (height - 1) + (gsize) width * 3,
                        NULL);

  frame = g_new0 (DermCameraFrame, 1);
  g_atomic_ref_count_init (&frame->ref_count);
  frame->width = width;
  frame->height = height;
  frame->stride = stride;
  frame->pixels = g_bytes_ref (pixels);
  frame->number = number;
  return frame;
}

DermCameraFrame *
derm_camera_frame_ref (DermCameraFrame *frame)
{
  g_return_val_if_fail (frame != NULL, NULL);
  g_atomic_ref_count_inc (&frame->ref_count);
  return frame;
}

void
derm_camera_frame_unref (DermCameraFrame *frame)
{
  g_return_if_fail (frame != NULL);
  if (g_atomic_ref_count_dec (&frame->ref_count))
    {
      g_bytes_unref (frame->pixels);
      g_free (frame);
    }
}

int
derm_camera_frame_get_width (DermCameraFrame *frame)
{
  return frame->width;
}

int
derm_camera_frame_get_height (DermCameraFrame *frame)
{
  return frame->height;
}

gsize
derm_camera_frame_get_stride (DermCameraFrame *frame)
{
  return frame->stride;
}

GBytes *
derm_camera_frame_get_pixels (DermCameraFrame *frame)
{
  return frame->pixels;
}

guint64
derm_camera_frame_get_number (DermCameraFrame *frame)
{
  return frame->number;
}

/* --- the camera ------------------------------------------------------------ */

typedef enum
{
  SOURCE_TEST,
  SOURCE_PHOTOS,
  SOURCE_DEVICE,
  SOURCE_PIPEWIRE,
} SourceKind;

struct _DermCamera
{
  GObject             parent_instance;

  SourceKind          kind;
  char               *name;
  /* SOURCE_TEST */
  char               *pattern;
  int                 width, height, fps;
  /* SOURCE_PHOTOS: frames of width x height, RGB rows padded to 4 bytes */
  GPtrArray          *photo_frames;   /* GBytes */
  guint64             n_pushed;
  /* SOURCE_DEVICE */
  GstDevice          *device;
  GstStructure       *controls;
  /* SOURCE_PIPEWIRE */
  int                 fd;

  GstElement         *pipeline;
  guint               bus_watch;

  GMutex              mutex;          /* the fields below, and the frame function */
  DermCameraFrame    *last_frame;
  guint64             n_frames;
  DermCameraFrameFunc frame_func;
  gpointer            frame_data;
  GDestroyNotify      frame_destroy;
};

G_DEFINE_FINAL_TYPE (DermCamera, derm_camera, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
camera_init_gstreamer (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      gst_init (NULL, NULL);
      g_once_init_leave (&once, 1);
    }
}

static void
derm_camera_finalize (GObject *object)
{
  DermCamera *self = DERM_CAMERA (object);

  derm_camera_stop (self);
  if (self->frame_destroy != NULL)
    self->frame_destroy (self->frame_data);
  g_clear_pointer (&self->last_frame, derm_camera_frame_unref);
  g_clear_pointer (&self->photo_frames, g_ptr_array_unref);
  g_clear_object (&self->device);
  g_clear_pointer (&self->controls, gst_structure_free);
  if (self->fd >= 0)
    close (self->fd);
  g_free (self->name);
  g_free (self->pattern);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (derm_camera_parent_class)->finalize (object);
}

static void
derm_camera_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  DermCamera *self = DERM_CAMERA (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, derm_camera_get_running (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
derm_camera_class_init (DermCameraClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = derm_camera_finalize;
  object_class->get_property = derm_camera_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DermCamera::failed:
   * @error: what went wrong, for the user
   *
   * The running camera stopped (unplugged, taken by another program, a
   * stream error). Emitted on the main context of the caller of start.
   */
  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
derm_camera_init (DermCamera *self)
{
  g_mutex_init (&self->mutex);
  self->fd = -1;
}

DermCamera *
derm_camera_new_test (const char *pattern,
                      int         width,
                      int         height,
                      int         fps)
{
  DermCamera *self;

  g_return_val_if_fail (width >= DERM_IMAGING_MIN_SIDE && height >= DERM_IMAGING_MIN_SIDE, NULL);
  g_return_val_if_fail (fps > 0, NULL);

  self = g_object_new (DERM_TYPE_CAMERA, NULL);
  self->kind = SOURCE_TEST;
  self->pattern = g_strdup (pattern != NULL ? pattern : "smpte");
  self->width = width;
  self->height = height;
  self->fps = fps;
  self->name = g_strdup (_("Test pattern"));
  return self;
}

DermCamera *
derm_camera_new_for_photos (const char *const *paths,
                            int                max_side,
                            int                fps,
                            GError           **error)
{
  g_autoptr (DermCamera) self = NULL;

  g_return_val_if_fail (paths != NULL && paths[0] != NULL, NULL);
  g_return_val_if_fail (fps > 0 && max_side >= DERM_IMAGING_MIN_SIDE, NULL);

  self = g_object_new (DERM_TYPE_CAMERA, NULL);
  self->kind = SOURCE_PHOTOS;
  self->fps = fps;
  self->photo_frames = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (guint i = 0; paths[i] != NULL; i++)
    {
      DermLoadOptions options = { .max_side = max_side };
      DermImage *image = NULL;
      DermError err;
      gsize stride;
      guint8 *rgb;
      g_autofree char *name = g_path_get_basename (paths[i]);

      if (derm_image_load_file (paths[i], &options, &image, &err) != DERM_STATUS_OK)
        {
          g_autofree char *message = derm_imaging_error_message (&err);

          g_set_error (error, DERM_CAMERA_ERROR, DERM_CAMERA_ERROR_PHOTOS, "%s: %s", name, message);
          return NULL;
        }
      if (i == 0)
        {
          self->width = derm_image_get_width (image);
          self->height = derm_image_get_height (image);
        }
      else if (derm_image_get_width (image) != self->width || derm_image_get_height (image) != self->height)
        {
          g_set_error (error, DERM_CAMERA_ERROR, DERM_CAMERA_ERROR_PHOTOS,
                       _("%s: every photo played as a camera must have the size of the first (%d × %d)."),
                       name, self->width, self->height);
          derm_image_free (image);
          return NULL;
        }
      /* GStreamer's RGB rows start on 4-byte boundaries */
      stride = GST_ROUND_UP_4 ((gsize) self->width * 3);
      rgb = g_malloc0 (stride * (gsize) self->height);
      derm_image_copy_rgb (image, rgb, stride);
      derm_image_free (image);
      g_ptr_array_add (self->photo_frames, g_bytes_new_take (rgb, stride * (gsize) self->height));
    }
  self->name = g_strdup (_("Photos played as a camera"));
  return g_steal_pointer (&self);
}

DermCamera *
derm_camera_new_for_device (GstDevice *device)
{
  DermCamera *self;

  g_return_val_if_fail (GST_IS_DEVICE (device), NULL);

  self = g_object_new (DERM_TYPE_CAMERA, NULL);
  self->kind = SOURCE_DEVICE;
  self->device = g_object_ref (device);
  self->name = gst_device_get_display_name (device);
  return self;
}

DermCamera *
derm_camera_new_for_pipewire (int fd)
{
  DermCamera *self;

  g_return_val_if_fail (fd >= 0, NULL);

  self = g_object_new (DERM_TYPE_CAMERA, NULL);
  self->kind = SOURCE_PIPEWIRE;
  self->fd = fd;
  self->name = g_strdup (_("Camera"));
  return self;
}

GPtrArray *
derm_camera_list_devices (void)
{
  g_autoptr (GstDeviceMonitor) monitor = NULL;
  GPtrArray *devices = g_ptr_array_new_with_free_func (g_object_unref);
  GList *list;

  camera_init_gstreamer ();
  monitor = gst_device_monitor_new ();
  gst_device_monitor_add_filter (monitor, "Video/Source", NULL);
  if (!gst_device_monitor_start (monitor))
    return devices;
  list = gst_device_monitor_get_devices (monitor);
  for (GList *l = list; l != NULL; l = l->next)
    g_ptr_array_add (devices, l->data);   /* takes the list's reference */
  g_list_free (list);
  gst_device_monitor_stop (monitor);
  return devices;
}

const char *
derm_camera_get_name (DermCamera *self)
{
  g_return_val_if_fail (DERM_IS_CAMERA (self), NULL);
  return self->name;
}

void
derm_camera_set_frame_func (DermCamera          *self,
                            DermCameraFrameFunc  func,
                            gpointer             user_data,
                            GDestroyNotify       destroy)
{
  GDestroyNotify old_destroy;
  gpointer old_data;

  g_return_if_fail (DERM_IS_CAMERA (self));

  g_mutex_lock (&self->mutex);
  old_destroy = self->frame_destroy;
  old_data = self->frame_data;
  self->frame_func = func;
  self->frame_data = user_data;
  self->frame_destroy = destroy;
  g_mutex_unlock (&self->mutex);
  if (old_destroy != NULL)
    old_destroy (old_data);
}

void
derm_camera_set_controls (DermCamera         *self,
                          const GstStructure *controls)
{
  g_return_if_fail (DERM_IS_CAMERA (self));

  g_clear_pointer (&self->controls, gst_structure_free);
  if (controls != NULL)
    self->controls = gst_structure_copy (controls);
}

gboolean
derm_camera_get_supports_controls (DermCamera *self)
{
  g_return_val_if_fail (DERM_IS_CAMERA (self), FALSE);
  return self->kind == SOURCE_DEVICE;
}

/* --- streaming thread -------------------------------------------------- */

typedef struct
{
  GstVideoFrame frame;
} MappedFrame;

static void
mapped_frame_free (gpointer data)
{
  MappedFrame *mapped = data;

  gst_video_frame_unmap (&mapped->frame);
  g_free (mapped);
}

static GstFlowReturn
on_new_sample (GstAppSink *sink,
               gpointer    user_data)
{
  DermCamera *self = user_data;
  g_autoptr (GstSample) sample = gst_app_sink_pull_sample (sink);
  g_autoptr (DermCameraFrame) frame = NULL;
  g_autoptr (GBytes) bytes = NULL;
  GstVideoInfo info;
  MappedFrame *mapped;
  int width, height;
  gsize stride;

  if (sample == NULL)
    return GST_FLOW_EOS;
  if (!gst_video_info_from_caps (&info, gst_sample_get_caps (sample)))
    return GST_FLOW_ERROR;
  mapped = g_new0 (MappedFrame, 1);
  /* The frame stays mapped, without a copy, for as long as anyone holds it */
  if (!gst_video_frame_map (&mapped->frame, &info, gst_sample_get_buffer (sample), GST_MAP_READ))
    {
      g_free (mapped);
      return GST_FLOW_ERROR;
    }
  width = GST_VIDEO_FRAME_WIDTH (&mapped->frame);
  height = GST_VIDEO_FRAME_HEIGHT (&mapped->frame);
  stride = GST_VIDEO_FRAME_PLANE_STRIDE (&mapped->frame, 0);
  bytes = g_bytes_new_with_free_func (GST_VIDEO_FRAME_PLANE_DATA (&mapped->frame, 0),
                                      stride * (gsize) (height - 1) + (gsize) width * 3,
                                      mapped_frame_free, mapped);

  g_mutex_lock (&self->mutex);
  frame = derm_camera_frame_new (width, height, stride, bytes, ++self->n_frames);
  g_clear_pointer (&self->last_frame, derm_camera_frame_unref);
  self->last_frame = derm_camera_frame_ref (frame);
  if (self->frame_func != NULL)
    self->frame_func (frame, self->frame_data);
  g_mutex_unlock (&self->mutex);
  return GST_FLOW_OK;
}

static void
on_need_data (GstAppSrc *src,
              guint      length,
              gpointer   user_data)
{
  DermCamera *self = user_data;
  GBytes *pixels = g_ptr_array_index (self->photo_frames, self->n_pushed % self->photo_frames->len);
  GstBuffer *buffer = gst_buffer_new_wrapped_bytes (pixels);
  GstClockTime duration = gst_util_uint64_scale_int (GST_SECOND, 1, self->fps);

  GST_BUFFER_PTS (buffer) = self->n_pushed * duration;
  GST_BUFFER_DURATION (buffer) = duration;
  self->n_pushed++;
  gst_app_src_push_buffer (src, buffer);
}

/* --- the pipeline ------------------------------------------------------- */

static void
on_decoded_pad (GstElement *decodebin,
                GstPad     *pad,
                GstElement *convert)
{
  g_autoptr (GstPad) sink = gst_element_get_static_pad (convert, "sink");

  if (!gst_pad_is_linked (sink))
    gst_pad_link (pad, sink);
}

static void
set_running (DermCamera *self,
             GstElement *pipeline)
{
  gboolean was = self->pipeline != NULL;

  self->pipeline = pipeline;
  if (was != (pipeline != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  DermCamera *self = user_data;
  g_autoptr (GError) error = NULL;

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr (GError) gst_error = NULL;
      g_autofree char *debug = NULL;

      gst_message_parse_error (message, &gst_error, &debug);
      g_debug ("%s: %s (%s)", self->name, gst_error->message, debug != NULL ? debug : "");
      error = g_error_new (DERM_CAMERA_ERROR, DERM_CAMERA_ERROR_FAILED,
                           _("The camera stopped: %s. Check that it is connected and not used by another program."),
                           gst_error->message);
    }
  else if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_EOS)
    error = g_error_new (DERM_CAMERA_ERROR, DERM_CAMERA_ERROR_FAILED,
                         _("The camera stopped sending pictures. Check that it is connected."));
  else
    return G_SOURCE_CONTINUE;

  g_object_ref (self);
  derm_camera_stop (self);
  g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
  g_object_unref (self);
  /* stop () removed this watch */
  return G_SOURCE_REMOVE;
}

static GstElement *
make (const char  *factory,
      GError     **error)
{
  GstElement *element = gst_element_factory_make (factory, NULL);

  if (element == NULL)
    g_set_error (error, DERM_CAMERA_ERROR, DERM_CAMERA_ERROR_MISSING,
                 _("The GStreamer element “%s” is not installed; install GStreamer’s base and good plugins."),
                 factory);
  return element;
}

static GstElement *
make_source (DermCamera  *self,
             GError     **error)
{
  GstElement *source = NULL;

  switch (self->kind)
    {
    case SOURCE_TEST:
      source = make ("videotestsrc", error);
      if (source != NULL)
        gst_util_set_object_arg (G_OBJECT (source), "pattern", self->pattern);
      if (source != NULL)
        g_object_set (source, "is-live", TRUE, NULL);
      break;
    case SOURCE_PHOTOS:
      source = make ("appsrc", error);
      if (source != NULL)
        {
          g_autoptr (GstCaps) caps = gst_caps_new_simple ("video/x-raw",
                                                          "format", G_TYPE_STRING, "RGB",
                                                          "width", G_TYPE_INT, self->width,
                                                          "height", G_TYPE_INT, self->height,
                                                          "framerate", GST_TYPE_FRACTION, self->fps, 1,
                                                          NULL);
          GstAppSrcCallbacks callbacks = { .need_data = on_need_data };

          g_object_set (source, "caps", caps, "format", GST_FORMAT_TIME, NULL);
          self->n_pushed = 0;
          gst_app_src_set_callbacks (GST_APP_SRC (source), &callbacks, self, NULL);
        }
      break;
    case SOURCE_DEVICE:
      source = gst_device_create_element (self->device, NULL);
      if (source == NULL)
        g_set_error (error, DERM_CAMERA_ERROR, DERM_CAMERA_ERROR_NO_CAMERA,
                     _("The camera “%s” cannot be opened."), self->name);
      else if (self->controls != NULL && g_object_class_find_property (G_OBJECT_GET_CLASS (source), "extra-controls"))
        g_object_set (source, "extra-controls", self->controls, NULL);
      break;
    case SOURCE_PIPEWIRE:
      source = make ("pipewiresrc", error);
      if (source != NULL)
        g_object_set (source, "fd", self->fd, NULL);
      break;
    default:
      g_assert_not_reached ();
    }
  return source;
}

gboolean
derm_camera_start (DermCamera  *self,
                   GError     **error)
{
  g_autoptr (GstElement) pipeline = NULL;
  g_autoptr (GstCaps) rgb = NULL;
  g_autoptr (GstBus) bus = NULL;
  GstElement *source, *convert, *filter, *sink, *decode = NULL, *test_filter = NULL;
  GstAppSinkCallbacks callbacks = { .new_sample = on_new_sample };

  g_return_val_if_fail (DERM_IS_CAMERA (self), FALSE);

  if (self->pipeline != NULL)
    return TRUE;
  camera_init_gstreamer ();

  pipeline = gst_object_ref_sink (gst_pipeline_new ("camera"));
  if ((source = make_source (self, error)) == NULL)
    return FALSE;
  gst_bin_add (GST_BIN (pipeline), source);
  if ((convert = make ("videoconvert", error)) == NULL || (filter = make ("capsfilter", error)) == NULL ||
      (sink = make ("appsink", error)) == NULL)
    return FALSE;
  gst_bin_add_many (GST_BIN (pipeline), convert, filter, sink, NULL);

  if (self->kind == SOURCE_TEST)
    {
      g_autoptr (GstCaps) caps = gst_caps_new_simple ("video/x-raw",
                                                      "width", G_TYPE_INT, self->width,
                                                      "height", G_TYPE_INT, self->height,
                                                      "framerate", GST_TYPE_FRACTION, self->fps, 1,
                                                      NULL);

      if ((test_filter = make ("capsfilter", error)) == NULL)
        return FALSE;
      g_object_set (test_filter, "caps", caps, NULL);
      gst_bin_add (GST_BIN (pipeline), test_filter);
      if (!gst_element_link_many (source, test_filter, convert, NULL))
        goto link_failed;
    }
  else if (self->kind == SOURCE_PHOTOS)
    {
      if (!gst_element_link (source, convert))
        goto link_failed;
    }
  else
    {
      /* Web cameras send raw video or JPEG; decodebin takes either */
      if ((decode = make ("decodebin", error)) == NULL)
        return FALSE;
      gst_bin_add (GST_BIN (pipeline), decode);
      if (!gst_element_link (source, decode))
        goto link_failed;
      g_signal_connect_object (decode, "pad-added", G_CALLBACK (on_decoded_pad), convert, 0);
    }

  rgb = gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING, "RGB", NULL);
  g_object_set (filter, "caps", rgb, NULL);
  /* The latest frame only: a slow consumer drops frames rather than
   * delaying the picture */
  g_object_set (sink, "max-buffers", 1, "drop", TRUE, "sync", TRUE, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, self, NULL);
  if (!gst_element_link_many (convert, filter, sink, NULL))
    goto link_failed;

  g_mutex_lock (&self->mutex);
  self->n_frames = 0;
  g_clear_pointer (&self->last_frame, derm_camera_frame_unref);
  g_mutex_unlock (&self->mutex);

  bus = gst_element_get_bus (pipeline);
  self->bus_watch = gst_bus_add_watch (bus, on_bus_message, self);
  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_autoptr (GstMessage) message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
      g_autoptr (GError) gst_error = NULL;

      if (message != NULL)
        gst_message_parse_error (message, &gst_error, NULL);
      g_set_error (error, DERM_CAMERA_ERROR, DERM_CAMERA_ERROR_NO_CAMERA,
                   _("The camera “%s” could not start: %s. Check that it is connected and not used by another program."),
                   self->name, gst_error != NULL ? gst_error->message : _("no reason given"));
      gst_element_set_state (pipeline, GST_STATE_NULL);
      g_clear_handle_id (&self->bus_watch, g_source_remove);
      return FALSE;
    }
  set_running (self, g_steal_pointer (&pipeline));
  return TRUE;

link_failed:
  g_set_error (error, DERM_CAMERA_ERROR, DERM_CAMERA_ERROR_FAILED,
               _("The camera “%s” cannot send pictures in a form Dermis reads."), self->name);
  return FALSE;
}

void
derm_camera_stop (DermCamera *self)
{
  GstElement *pipeline;

  g_return_if_fail (DERM_IS_CAMERA (self));

  if (self->pipeline == NULL)
    return;
  pipeline = self->pipeline;
  g_clear_handle_id (&self->bus_watch, g_source_remove);
  /* Joins the streaming threads: no frame function runs after this */
  gst_element_set_state (pipeline, GST_STATE_NULL);
  set_running (self, NULL);
  gst_object_unref (pipeline);
}

gboolean
derm_camera_get_running (DermCamera *self)
{
  g_return_val_if_fail (DERM_IS_CAMERA (self), FALSE);
  return self->pipeline != NULL;
}

DermCameraFrame *
derm_camera_dup_last_frame (DermCamera *self)
{
  DermCameraFrame *frame;

  g_return_val_if_fail (DERM_IS_CAMERA (self), NULL);

  g_mutex_lock (&self->mutex);
  frame = self->last_frame != NULL ? derm_camera_frame_ref (self->last_frame) : NULL;
  g_mutex_unlock (&self->mutex);
  return frame;
}

guint64
derm_camera_get_n_frames (DermCamera *self)
{
  guint64 n;

  g_return_val_if_fail (DERM_IS_CAMERA (self), 0);

  g_mutex_lock (&self->mutex);
  n = self->n_frames;
  g_mutex_unlock (&self->mutex);
  return n;
}
