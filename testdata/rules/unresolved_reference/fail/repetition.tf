# `each` and `count` outside the blocks that set `for_each` and `count`, and `self` outside a
# provisioner: Terraform's "Reference to \"each\" in context without for_each".
variable "escalation_codes" {
  type    = set(string)
  default = ["Escalated", "Callback"]
}

resource "genesyscloud_routing_wrapupcode" "escalation" {
  for_each    = var.escalation_codes
  name        = each.key
  description = "code ${each.id}"
}

resource "genesyscloud_routing_wrapupcode" "numbered" {
  name = "Numbered ${count.index}"
}

resource "genesyscloud_routing_wrapupcode" "counted" {
  count       = 2
  name        = "Counted ${count.index} ${each.key}"
  description = self.name
}

resource "genesyscloud_routing_wrapupcode" "self_keyed" {
  for_each = toset([for c in var.escalation_codes : "${c}-${each.key}"])
  name     = each.value
}

output "escalation_ids" {
  value = genesyscloud_routing_wrapupcode.escalation[each.id].id
}

locals {
  first_counted = genesyscloud_routing_wrapupcode.counted[count.index].id
}
