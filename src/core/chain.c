#define _GNU_SOURCE
/* The chain cache: a 64-bit key hashed incrementally over the held classes
 * (with read mode and trylock) of one context. A key validated once needs
 * no graph work again, and the lookup takes no lock and writes nothing. */
#include "core.h"

void ul_chain_key_next(uint64_t *key, uint32_t class_id, uint8_t mode, uint8_t flags)
{
	uint64_t elem = (uint64_t)class_id << 8 | (uint64_t)mode << 1 | (flags & UL_ACQ_TRY);
	*key = ul_hash64(*key ^ ul_hash64(elem + 0x9e3779b97f4a7c15ULL)) | 1;
}

bool ul_chain_cached(uint64_t key)
{
	return ul_htab_has(&ul_rt.chains, key);
}

void ul_chain_add(uint64_t key)
{
	uint64_t v[3] = { 1, 0, 0 };
	ul_htab_put(&ul_rt.chains, key, v, false);
}
