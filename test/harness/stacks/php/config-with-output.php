<?php
// The site's settings file, closed with ?> and a blank line after it: that newline is output.
$cors_origins = [APP, ADMIN];
?>

