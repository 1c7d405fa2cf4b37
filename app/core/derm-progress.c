/* derm-progress.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "derm-progress.h"

typedef struct
{
  GObject          *object;
  DermProgressFunc  apply;
  double            progress;
} ProgressUpdate;

static gboolean
apply_progress (gpointer data)
{
  ProgressUpdate *u = data;

  u->apply (u->object, u->progress);
  return G_SOURCE_REMOVE;
}

static void
progress_update_free (gpointer data)
{
  ProgressUpdate *u = data;

  g_object_unref (u->object);
  g_free (u);
}

void
derm_progress_post (GMainContext     *context,
                    GObject          *object,
                    DermProgressFunc  apply,
                    double            progress)
{
  ProgressUpdate *u;

  if (context == NULL)
    return;
  u = g_new0 (ProgressUpdate, 1);
  u->object = g_object_ref (object);
  u->apply = apply;
  u->progress = progress;
  g_main_context_invoke_full (context, G_PRIORITY_DEFAULT, apply_progress, u, progress_update_free);
}
