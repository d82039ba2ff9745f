-- One database per service (and the gateway's own), created on the first start of the postgis image.
CREATE DATABASE meent_commons;
CREATE DATABASE meent_volunteers;
CREATE DATABASE meent_spaces;
CREATE DATABASE meent_grants;
CREATE DATABASE meent_gateway;
