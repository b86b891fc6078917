resource "genesyscloud_routing_queue" "q" {
  name = "q"
  wrapup_codes = [a.id,
}
