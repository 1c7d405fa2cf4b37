/* derm-imaging-error.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where an imaging error enters app/: the imaging library (no GLib, no
 * gettext) fills a DermError in English and keeps the message's format and
 * arguments; this shows it in the user's language.
 */
#pragma once

#include <glib.h>

#include "derm-imaging.h"

G_BEGIN_DECLS

/* The message of @err translated through the catalogue, its arguments put
 * back in the translated format (numbered conversions like %2$s allowed);
 * a %s argument that is itself a catalogue message (a reason) is translated
 * too. Falls back to the English message when there is no translation or
 * the translation does not fit the arguments. Free with g_free(). */
char *derm_imaging_error_message (const DermError *err);

G_END_DECLS
