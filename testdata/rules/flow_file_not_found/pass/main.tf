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
