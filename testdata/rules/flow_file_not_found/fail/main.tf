resource "genesyscloud_flow" "inbound" {
  filepath = "${path.module}/flows/inbound-main.yaml"
}

# The module's directory named twice: `${path.module}` already is `in_queue`.
module "in_queue" {
  source = "./in_queue"
}

# A directory where the flow's file goes: the provider cannot read it.
resource "genesyscloud_flow" "directory" {
  filepath = "${path.module}/flows"
}
