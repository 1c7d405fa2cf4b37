/* derm-photo-use.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "derm-photo"

#include "config.h"

#include <glib/gi18n.h>

#include "derm-photo.h"
#include "derm-photo-use.h"
#include "derm-store-photos.h"

static const char * const use_keys[DERM_N_PHOTO_USES] = { "clinical", "education", "marketing" };

const char *
derm_photo_use_to_key (DermPhotoUse use)
{
  g_return_val_if_fail ((guint) use < DERM_N_PHOTO_USES, "clinical");
  return use_keys[use];
}

gboolean
derm_photo_use_from_key (const char   *key,
                         DermPhotoUse *use)
{
  for (guint i = 0; key != NULL && i < DERM_N_PHOTO_USES; i++)
    if (g_ascii_strcasecmp (key, use_keys[i]) == 0)
      {
        *use = (DermPhotoUse) i;
        return TRUE;
      }
  return FALSE;
}

const char *
derm_photo_use_to_label (DermPhotoUse use)
{
  switch (use)
    {
    case DERM_PHOTO_USE_EDUCATION:
      return _("Clinical record and education");
    case DERM_PHOTO_USE_MARKETING:
      return _("Clinical record, education and marketing");
    case DERM_PHOTO_USE_CLINICAL:
    default:
      return _("Clinical record only");
    }
}

const char *
derm_photo_use_to_purpose (DermPhotoUse use)
{
  switch (use)
    {
    case DERM_PHOTO_USE_EDUCATION:
      return _("education");
    case DERM_PHOTO_USE_MARKETING:
      return _("marketing");
    case DERM_PHOTO_USE_CLINICAL:
    default:
      return _("the clinical record");
    }
}

gboolean
derm_photo_use_allows (DermPhotoUse consent,
                       DermPhotoUse use)
{
  return (guint) use <= (guint) consent;
}

GPtrArray *
derm_photo_use_uncovered (GPtrArray    *photos,
                          DermPhotoUse  use)
{
  GPtrArray *uncovered = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (photos != NULL, uncovered);

  for (guint i = 0; i < photos->len; i++)
    {
      DermPhoto *photo = g_ptr_array_index (photos, i);

      if (!derm_photo_use_allows (derm_photo_get_use (photo), use))
        g_ptr_array_add (uncovered, g_object_ref (photo));
    }
  return uncovered;
}

char *
derm_photo_use_describe (GPtrArray    *uncovered,
                         DermPhotoUse  use)
{
  g_return_val_if_fail (uncovered != NULL && uncovered->len > 0, NULL);

  if (uncovered->len == 1)
    {
      DermPhoto *photo = g_ptr_array_index (uncovered, 0);

      /* Translators: "Photo 12's consent allows: Clinical record only; not marketing." */
      return g_strdup_printf (_("Photo %lld’s consent allows: %s; not %s."),
                              (long long) derm_photo_get_id (photo),
                              derm_photo_use_to_label (derm_photo_get_use (photo)),
                              derm_photo_use_to_purpose (use));
    }
  return g_strdup_printf (ngettext ("%u photo’s consent does not cover %s.",
                                    "%u photos’ consent does not cover %s.", uncovered->len),
                          uncovered->len, derm_photo_use_to_purpose (use));
}

gboolean
derm_photo_use_check_export (DermStore     *store,
                             GPtrArray     *photos,
                             DermPhotoUse   use,
                             gboolean       override,
                             const char    *what,
                             GError       **error)
{
  g_autoptr (GPtrArray) uncovered = NULL;
  g_autoptr (GArray) ids = NULL;

  g_return_val_if_fail (DERM_IS_STORE (store), FALSE);
  g_return_val_if_fail (photos != NULL, FALSE);
  g_return_val_if_fail (what != NULL, FALSE);

  uncovered = derm_photo_use_uncovered (photos, use);
  if (uncovered->len == 0)
    return TRUE;
  if (!override)
    {
      g_autofree char *line = derm_photo_use_describe (uncovered, use);

      g_set_error (error, DERM_PHOTO_ERROR, DERM_PHOTO_ERROR_NOT_CONSENTED,
                   _("%s Change the photo-use consent, or export anyway (the override is logged)."), line);
      return FALSE;
    }
  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < uncovered->len; i++)
    {
      gint64 id = derm_photo_get_id (g_ptr_array_index (uncovered, i));

      g_array_append_val (ids, id);
    }
  return derm_store_audit_photo_use_override (store, ids, use, what, error);
}
