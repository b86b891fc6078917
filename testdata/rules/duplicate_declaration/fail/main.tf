resource "genesyscloud_routing_queue" "support" {
  name = "Support"
}

resource "genesyscloud_routing_queue" "support" {
  name = "Support 2"
}

variable "x" {}
variable "x" {}
