variable "team" {
  type = string
}

resource "genesyscloud_routing_queue" "overflow" {
  name = "Overflow ${var.team}"
}
