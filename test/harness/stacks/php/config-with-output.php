<?php
// The site's settings file, closed with a PHP end tag and a blank line after it: that newline is output.
$cors_origins = [APP, ADMIN];
?>

