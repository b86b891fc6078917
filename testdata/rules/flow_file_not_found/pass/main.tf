resource "genesyscloud_flow" "inbound" {
  filepath = "${path.module}/flows/inbound_main.yaml"
}

# The provider reads flows from S3 too: not a local file, so not "not found".
resource "genesyscloud_flow" "from_s3" {
  filepath          = "s3://my-bucket/flows/inbound_main.yaml"
  file_content_hash = filesha256("s3://my-bucket/flows/inbound_main.yaml")
}

resource "genesyscloud_flow" "from_s3a" {
  filepath = "s3a://my-bucket/flows/inbound_main.yaml"
}

# A flow made from a template at apply: the file does not exist before the first apply, and
# is not missing. Named through the resource, or by its path with `depends_on`.
resource "local_file" "outbound" {
  filename = "${path.module}/generated/outbound.yaml"
  content  = templatefile("${path.module}/flows/outbound.yaml.tftpl", { queue = "Support" })
}

resource "genesyscloud_flow" "outbound" {
  filepath = local_file.outbound.filename
}

resource "genesyscloud_flow" "outbound_by_path" {
  filepath   = "./generated/outbound.yaml"
  depends_on = [local_file.outbound]
}

# The same, with the file's name made absolute.
resource "local_file" "callback" {
  filename = abspath("${path.module}/generated/callback.yaml")
  content  = templatefile("${path.module}/flows/outbound.yaml.tftpl", { queue = "Callbacks" })
}

resource "genesyscloud_flow" "callback" {
  filepath = "generated/callback.yaml"
}
