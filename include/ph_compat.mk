# SPDX-License-Identifier: GPL-2.0
# Feature tests for include/ph_compat.h, included by every Kbuild whose
# sources include it: what the kernel's headers declare, never a version
# number (static inlines and enum values cannot be tested with #ifdef).
# $(srctree) is the kernel tree the module is built against.
ph_hdr_has = $(shell grep -qs '$(2)' $(srctree)/include/linux/$(1) && echo y)
ccflags-$(call ph_hdr_has,balloon_compaction.h,balloon_page_finalize) += -DPH_HAVE_BALLOON_PAGE_FINALIZE
ccflags-$(call ph_hdr_has,mm_types.h,memdesc_flags_t) += -DPH_HAVE_MEMDESC_FLAGS
ccflags-$(call ph_hdr_has,migrate_mode.h,MIGRATE_SYNC_NO_COPY) += -DPH_HAVE_MIGRATE_SYNC_NO_COPY
ccflags-$(call ph_hdr_has,mm.h,mapping_rmap_tree_iter_first) += -DPH_HAVE_MAPPING_RMAP_TREE
ccflags-$(call ph_hdr_has,rmap.h,folio_add_file_rmap_ptes) += -DPH_HAVE_FOLIO_ADD_FILE_RMAP
ccflags-$(call ph_hdr_has,fs.h,filemap_splice_read) += -DPH_HAVE_FILEMAP_SPLICE_READ
ccflags-$(call ph_hdr_has,mm.h,folios_put_refs) += -DPH_HAVE_FOLIOS_PUT_REFS
ccflags-$(call ph_hdr_has,gfp.h,alloc_pages_bulk_noprof) += -DPH_HAVE_ALLOC_NOPROF
ccflags-$(call ph_hdr_has,gfp.h,struct list_head \*page_list) += -DPH_HAVE_BULK_LIST
ccflags-$(call ph_hdr_has,gfp.h,acr_flags_t) += -DPH_HAVE_ACR_FLAGS
ccflags-$(call ph_hdr_has,pagemap.h,__filemap_get_folio_mpol) += -DPH_HAVE_FILEMAP_GET_FOLIO_MPOL
ccflags-$(call ph_hdr_has,zsmalloc.h,const int nid) += -DPH_HAVE_ZS_MALLOC_NID
ccflags-$(call ph_hdr_has,zsmalloc.h,zs_obj_write) += -DPH_HAVE_ZS_OBJ_WRITE
ccflags-$(call ph_hdr_has,page-flags.h,PGTY_zsmalloc) += -DPH_HAVE_PAGE_ZSMALLOC
ccflags-$(call ph_hdr_has,virtio_config.h,struct virtqueue_info) += -DPH_HAVE_VIRTQUEUE_INFO
ccflags-$(call ph_hdr_has,ftrace.h,register_ftrace_direct_multi) += -DPH_HAVE_FTRACE_DIRECT_MULTI
# An exported variable is a Module.symvers line (6.12: page_reporting_order).
ph_sym_exported = $(shell grep -qs '[[:space:]]$(1)[[:space:]]' $(objtree)/Module.symvers && echo y)
ccflags-$(call ph_sym_exported,page_reporting_order) += -DPH_HAVE_PAGE_REPORTING_ORDER_EXPORT
