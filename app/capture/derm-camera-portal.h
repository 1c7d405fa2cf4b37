/* derm-camera-portal.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Inside the Flatpak, cameras are reached through the Camera portal
 * (libportal): the user is asked once for access, then the portal's
 * PipeWire remote carries the cameras to pipewiresrc. On the host Dermis
 * opens the camera devices itself (derm_camera_list_devices ()).
 */
#pragma once

#include <gio/gio.h>
#include <libportal/portal.h>

#include "derm-camera.h"

G_BEGIN_DECLS

/* TRUE inside a Flatpak sandbox, where the portal is the way to a camera */
gboolean    derm_camera_portal_is_sandboxed (void);
/* Asks the portal for camera access (@parent: the window asking, nullable)
 * and opens its PipeWire remote as a camera */
void        derm_camera_portal_open_async   (XdpParent           *parent,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
DermCamera *derm_camera_portal_open_finish  (GAsyncResult        *result,
                                             GError             **error);

G_END_DECLS
