/* derm-camera-portal.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-camera"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-camera-portal.h"

gboolean
derm_camera_portal_is_sandboxed (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

static void
on_access (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  XdpPortal *portal = XDP_PORTAL (source);
  g_autoptr (GError) error = NULL;
  int fd;

  if (!xdp_portal_access_camera_finish (portal, result, &error))
    {
      g_task_return_new_error (task, DERM_CAMERA_ERROR, DERM_CAMERA_ERROR_NO_CAMERA,
                               _("Dermis may not use the camera: %s. Allow it in Settings → Apps → Dermis."),
                               error->message);
      return;
    }
  fd = xdp_portal_open_pipewire_remote_for_camera (portal);
  if (fd < 0)
    {
      g_task_return_new_error (task, DERM_CAMERA_ERROR, DERM_CAMERA_ERROR_NO_CAMERA,
                               _("The camera could not be opened through the Camera portal."));
      return;
    }
  g_task_return_pointer (task, derm_camera_new_for_pipewire (fd), g_object_unref);
}

void
derm_camera_portal_open_async (XdpParent           *parent,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  /* Debian 12's libportal (0.6) has no xdp_portal_initable_new () */
  g_autoptr (XdpPortal) portal = xdp_portal_new ();
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, derm_camera_portal_open_async);
  if (!xdp_portal_is_camera_present (portal))
    {
      g_task_return_new_error (task, DERM_CAMERA_ERROR, DERM_CAMERA_ERROR_NO_CAMERA,
                               _("No camera is connected. Connect a camera and try again."));
      g_object_unref (task);
      return;
    }
  xdp_portal_access_camera (portal, parent, XDP_CAMERA_FLAG_NONE, cancellable, on_access, task);
}

DermCamera *
derm_camera_portal_open_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
