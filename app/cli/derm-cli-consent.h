/* derm-cli-consent.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * dermis-cli's consent form commands (consent template show/set, consent
 * import, list and export) and documents verify.
 */
#pragma once

#include "derm-cli-common.h"

G_BEGIN_DECLS

extern const DermCliCommand derm_cli_consent_commands[];

G_END_DECLS
