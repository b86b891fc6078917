variable "prefix" {}
variable "division_id" {}
variable "description" {
  default = ""
}

resource "genesyscloud_routing_wrapupcode" "resolved" {
  name        = "${var.prefix} Resolved"
  division_id = var.division_id
  description = var.description
}
