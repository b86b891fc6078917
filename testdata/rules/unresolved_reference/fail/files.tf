# The flow file was renamed and its hash still reads the old name: the plan stops.
resource "genesyscloud_flow" "renamed" {
  filepath          = "${path.module}/files/inbound.yaml"
  file_content_hash = filesha256("${path.module}/files/inbound_old.yaml")
}

resource "genesyscloud_flow" "templated" {
  filepath = templatefile("flows/outbound.yaml.tftpl", { queue = "Support" })
}
