# SPDX-License-Identifier: GPL-2.0
#
# kit.mk - the mu_cmd kit's part of a driver's out-of-tree Makefile (not
# its Kbuild file). The driver's Makefile sets KDIR and includes this file:
#
#   KDIR ?= /lib/modules/$(shell uname -r)/build
#   include $(CURDIR)/uring_cmd/kit.mk
#   all modules: mu-modules
#   clean: mu-clean
#
# mu-modules runs mu-probe, then Kbuild's "modules" in the driver's
# directory (W=1, C=1 and the like pass through).
#
# mu-probe compiles every probe in probes/ against KDIR and writes the
# results, MU_HAVE_<PROBE>, to mu_compat_probed.h in the driver's directory
# (the driver's Kbuild adds "ccflags-y += -I$(src)" so the kit finds it).
# The probes are plain compile tests, built without W=1, C=1 or -j limits
# of the caller, and with -Werror so that a mismatched prototype fails
# loudly even where the compiler only warns. The header is replaced only
# when its content changes, so a rebuild for the same kernel recompiles
# nothing. Their objects and log go to .mu_probes/. A driver's own
# probes (same form: probes/<name>.c including "probe.h", giving
# MU_HAVE_<NAME>) join them from the directories in MU_DRIVER_PROBES, set
# before the include.
#
# mu-clean removes what Kbuild and mu-probe leave in the driver's
# directory, without KDIR (the kernel tree may be gone already).

# The including Makefile's default goal stays its own first target.
MU_SAVED_GOAL := $(.DEFAULT_GOAL)
MU_KIT_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
MU_PROBE_SRC := $(MU_KIT_DIR)/probes
MU_PROBE_BUILD := $(CURDIR)/.mu_probes
MU_PROBE_C := $(wildcard $(MU_PROBE_SRC)/*.c $(addsuffix /*.c,$(MU_DRIVER_PROBES)))
MU_PROBES := $(sort $(basename $(notdir $(MU_PROBE_C))))
MU_PROBED_H := $(CURDIR)/mu_compat_probed.h

mu-probe:
	@rm -rf $(MU_PROBE_BUILD) && mkdir -p $(MU_PROBE_BUILD)
	@cp $(MU_PROBE_C) $(MU_PROBE_SRC)/probe.h $(MU_PROBE_BUILD)/
	@printf 'obj-m := %s\nccflags-y := -Werror\n' "$(MU_PROBES:=.o)" \
		> $(MU_PROBE_BUILD)/Kbuild
	@$(MAKE) -C $(KDIR) M=$(MU_PROBE_BUILD) W= C= -k $(MU_PROBES:=.o) \
		> $(MU_PROBE_BUILD)/probe.log 2>&1 || true
	@sh $(MU_PROBE_SRC)/gen-header.sh $(MU_PROBE_BUILD) \
		"$$(cat $(KDIR)/include/config/kernel.release 2>/dev/null || echo $(KDIR))" \
		$(MU_PROBES) > $(MU_PROBED_H).tmp
	@if cmp -s $(MU_PROBED_H).tmp $(MU_PROBED_H); then rm -f $(MU_PROBED_H).tmp; \
		else mv $(MU_PROBED_H).tmp $(MU_PROBED_H); echo "  PROBED  $(MU_PROBED_H)"; fi

mu-modules: mu-probe
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

mu-clean:
	rm -rf $(MU_PROBE_BUILD) $(MU_PROBED_H) $(MU_PROBED_H).tmp .tmp_versions
	find . \( -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' \
		-o -name '.*.cmd' -o -name '*.a' -o -name '.*.d' -o -name '*.dwo' \) \
		-type f -delete
	rm -f modules.order Module.symvers .cache.mk

.PHONY: mu-probe mu-modules mu-clean
.DEFAULT_GOAL := $(MU_SAVED_GOAL)
