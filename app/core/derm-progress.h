/* derm-progress.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A long job on a worker thread telling its object, on the object's main
 * context, how far it got (the progress report and the trend each run one).
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Applies @progress (0 to 1) to @object; runs on the main context */
typedef void (*DermProgressFunc) (GObject *object,
                                  double   progress);

/* Calls @apply (@object, @progress) on @context, holding a reference to
 * @object until it ran; nothing when @context is NULL (a synchronous run,
 * no one to tell). Callable from any thread. */
void derm_progress_post (GMainContext     *context,
                         GObject          *object,
                         DermProgressFunc  apply,
                         double            progress);

G_END_DECLS
