/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vaal_trace.h - tracepoints of vaal_core: a launch handed to a unit, and
 * the unit giving it back (tracefs events/vaal/)
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM vaal

#if !defined(_VAAL_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _VAAL_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(vaal_dispatch,
	TP_PROTO(const char *class, u64 ctx, u32 ctrl, u32 unit,
		 const char *kernel),
	TP_ARGS(class, ctx, ctrl, unit, kernel),

	TP_STRUCT__entry(
		__string(class, class)
		__field(u64, ctx)
		__field(u32, ctrl)
		__field(u32, unit)
		__string(kernel, kernel)
	),

	TP_fast_assign(
		__assign_str(class);
		__entry->ctx = ctx;
		__entry->ctrl = ctrl;
		__entry->unit = unit;
		__assign_str(kernel);
	),

	TP_printk("class=%s ctx=%llu ctrl=%u unit=%u kernel=%s",
		  __get_str(class), __entry->ctx, __entry->ctrl, __entry->unit,
		  __get_str(kernel))
);

TRACE_EVENT(vaal_complete,
	TP_PROTO(const char *class, u64 ctx, u32 ctrl, u32 unit, u64 device_ns,
		 int status),
	TP_ARGS(class, ctx, ctrl, unit, device_ns, status),

	TP_STRUCT__entry(
		__string(class, class)
		__field(u64, ctx)
		__field(u32, ctrl)
		__field(u32, unit)
		__field(u64, device_ns)
		__field(int, status)
	),

	TP_fast_assign(
		__assign_str(class);
		__entry->ctx = ctx;
		__entry->ctrl = ctrl;
		__entry->unit = unit;
		__entry->device_ns = device_ns;
		__entry->status = status;
	),

	TP_printk("class=%s ctx=%llu ctrl=%u unit=%u device_ns=%llu status=%d",
		  __get_str(class), __entry->ctx, __entry->ctrl, __entry->unit,
		  __entry->device_ns, __entry->status)
);

#endif /* _VAAL_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE vaal_trace
#include <trace/define_trace.h>
