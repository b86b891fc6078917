# Keys the map has, misses that `try` expects, and maps whose keys cxlint cannot be sure of.
locals {
  code_ids = {
    resolved  = "1a0f4e2c-0000-4000-8000-000000000001"
    escalated = "1a0f4e2c-0000-4000-8000-000000000002"
  }
  by_name = { for k, v in local.code_ids : upper(k) => v }
}

# A CI pipeline may pass the real map with `-var-file`: the default is only a stand-in.
variable "extra_code_ids" {
  type    = map(string)
  default = {}
}

resource "genesyscloud_routing_queue" "map_keys" {
  name = "Map keys"
  wrapup_codes = [
    local.code_ids["resolved"],
    try(local.code_ids["missing"], local.code_ids["escalated"]),
    var.extra_code_ids["sales"],
    local.by_name["OTHER"],
  ]
}
