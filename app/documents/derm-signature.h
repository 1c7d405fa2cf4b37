/* derm-signature.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A handwritten signature as the strokes that drew it: each stroke a run
 * of points (x, y in the pad's own units, and the pen's pressure, 1 for a
 * mouse or a finger). The signature pad (ui/documents) records into one;
 * a signed consent form draws it, scaled to fit, into its PDF.
 */
#pragma once

#include <cairo.h>
#include <glib-object.h>

G_BEGIN_DECLS

#define DERM_TYPE_SIGNATURE (derm_signature_get_type ())
G_DECLARE_FINAL_TYPE (DermSignature, derm_signature, DERM, SIGNATURE, GObject)

/* A pad of @width x @height units: what the strokes are scaled from */
DermSignature *derm_signature_new           (double         width,
                                             double         height);
double         derm_signature_get_width     (DermSignature *self);
double         derm_signature_get_height    (DermSignature *self);

/* Starts a new stroke at (@x, @y) */
void           derm_signature_begin_stroke  (DermSignature *self,
                                             double         x,
                                             double         y,
                                             double         pressure);
/* Continues the current stroke */
void           derm_signature_add_point     (DermSignature *self,
                                             double         x,
                                             double         y,
                                             double         pressure);
void           derm_signature_clear         (DermSignature *self);
guint          derm_signature_get_n_strokes (DermSignature *self);
guint          derm_signature_get_n_points  (DermSignature *self);
/* Whether the strokes amount to a signature: at least a few points that
 * span some of the pad (a stray tap is not one) */
gboolean       derm_signature_is_signed     (DermSignature *self);

/* Draws the strokes scaled to fit (@width x @height), centred, keeping
 * their aspect, in the current source colour of @cr */
void           derm_signature_draw          (DermSignature *self,
                                             cairo_t       *cr,
                                             double         width,
                                             double         height);

G_END_DECLS
