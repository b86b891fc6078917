resource "genesyscloud_routing_queue" "support" {
  name = "Support"
}

resource "genesyscloud_routing_queue" "support" {
  name = "Support 2"
}

variable "x" {}
variable "x" {}

# Labels made from display names: Terraform rejects them ("Invalid resource name").
resource "genesyscloud_routing_queue" " Lyon" {
  name = "Lyon"
}

variable "2nd_queue" {}
