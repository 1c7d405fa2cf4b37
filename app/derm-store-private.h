/* derm-store-private.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For tests and benchmarks only: the raw connection and the migration
 * steps, so a test can build a database as an older Dermis left it.
 */
#pragma once

#include <sqlite3.h>

#include "derm-store.h"

G_BEGIN_DECLS

sqlite3            *derm_store_get_db          (DermStore *self);
/* The SQL of each migration step; step i takes user_version i to i+1 */
const char * const *derm_store_get_migrations  (guint     *n_steps);

G_END_DECLS
