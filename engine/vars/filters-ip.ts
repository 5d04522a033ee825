/** ansible.utils' ip address filters (ipaddr, ipv4, ipv6, ...), by FQCN: filters.ts routes their short names. */
import type { Filter } from './filter-types.js'

export const ipFilters: Record<string, Filter> = {}
