/* derm-cli-documents.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Documents for the client: the clinic's letterhead (clinic show, clinic
 * set) and the printed documents (aftercare).
 */
#pragma once

#include "derm-cli-common.h"

G_BEGIN_DECLS

extern const DermCliCommand derm_cli_documents_commands[];

G_END_DECLS
