/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dag8.h - the random DAG of width 8 that vaal_dispatch_bench and its peer
 * starpu_dag_bench both run, job for job.
 *
 * Eight lanes, one buffer of DAG8_BYTES each.  Job n writes the buffer of
 * lane n % 8 and reads that of a random lane (a linear congruential
 * generator seeded with 1; the lane read may be the one written), so every
 * job depends on up to three earlier ones: RAW on the last writer of what it
 * reads, WAR on the readers and WAW on the last writer of what it writes.
 * At most eight jobs are ever ready at once.
 */
#ifndef DAG8_H
#define DAG8_H

#define DAG8_LANES	8
#define DAG8_BYTES	4096

struct dag8 {
	unsigned int rng;
};

#define DAG8_INIT	{ .rng = 1 }

/**
 * dag8_next() - the buffers of job @n; jobs must be asked for in order
 * @d:   the generator
 * @n:   the job's number, from 0
 * @src: set to the lane the job reads
 * @dst: set to the lane the job writes
 */
static inline void dag8_next(struct dag8 *d, unsigned long n,
			     unsigned int *src, unsigned int *dst)
{
	d->rng = d->rng * 1103515245 + 12345;
	*dst = n % DAG8_LANES;
	*src = (d->rng >> 8) % DAG8_LANES;
}

#endif /* DAG8_H */
