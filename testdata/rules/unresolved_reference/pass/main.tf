variable "names" {
  default = ["Resolved", "Escalated"]
}

resource "genesyscloud_routing_wrapupcode" "all" {
  for_each = toset(var.names)
  name     = each.key
}

resource "genesyscloud_routing_queue" "support" {
  name         = "Support"
  wrapup_codes = [for c in genesyscloud_routing_wrapupcode.all : c.id]

  dynamic "members" {
    for_each = []
    content {
      user_id = members.value
    }
  }
}

module "codes" {
  source = "./codes"
}

resource "genesyscloud_routing_queue" "other" {
  name         = "Other"
  wrapup_codes = [module.codes.resolved_id]
}
