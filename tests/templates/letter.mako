Dear ${name},
