/* derm-signature-pad.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where the client signs: a white box with a line, drawn on with a mouse,
 * a finger or a stylus (with its pressure), recorded as strokes into a
 * DermSignature. Clear (signature-pad.clear) starts again.
 */
#pragma once

#include <gtk/gtk.h>

#include "derm-signature.h"

G_BEGIN_DECLS

#define DERM_TYPE_SIGNATURE_PAD (derm_signature_pad_get_type ())
G_DECLARE_FINAL_TYPE (DermSignaturePad, derm_signature_pad, DERM, SIGNATURE_PAD, GtkWidget)

GtkWidget     *derm_signature_pad_new            (void);
/* The strokes so far (never NULL; emptied by Clear) */
DermSignature *derm_signature_pad_get_signature  (DermSignaturePad *self);
/* Whether what is drawn amounts to a signature (the "signed" property) */
gboolean       derm_signature_pad_get_signed     (DermSignaturePad *self);

/* What the gestures call, in the drawing area's coordinates; public so
 * tests can draw without a pointer */
void           derm_signature_pad_stroke_begin   (DermSignaturePad *self,
                                                  double            x,
                                                  double            y,
                                                  double            pressure);
void           derm_signature_pad_stroke_to      (DermSignaturePad *self,
                                                  double            x,
                                                  double            y,
                                                  double            pressure);
void           derm_signature_pad_stroke_end     (DermSignaturePad *self);

G_END_DECLS
