# Each environment is a root module of its own, applied to its own org.
resource "genesyscloud_flow" "main" {
  filepath = "main.yaml"
}
