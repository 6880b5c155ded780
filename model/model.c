/*
 * model.c - start-up of the model layer.
 */
#include <gsl/gsl_errno.h>

#include "model/model.h"

void
model_init(void)
{
	/* model/ checks every GSL status and records ERROR_MODEL itself */
	gsl_set_error_handler_off();
}
