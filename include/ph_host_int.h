/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host model internals shared by module/host.c (the model: backing,
 * reclaim, discard, pressure mode) and module/host_records.c (the discard
 * records and the discard fault). Not exported; the control plane and a
 * real host's channel use ph_host.h. The design is at the top of each.
 */
#ifndef _PH_HOST_INT_H
#define _PH_HOST_INT_H

#include <linux/types.h>
#include "ph_host.h"

int ph_host_records_init(void);
void ph_host_records_exit(void);
int ph_host_records_attach(void);
void ph_host_records_detach(void);
void ph_host_record(dev_t dev, u64 ino, pgoff_t index, u64 now);
unsigned long ph_host_discard_faults(void);
void ph_host_records_status(struct ph_host_status *st);

#endif /* _PH_HOST_INT_H */
