/*
 * model.h - the model's interface to the rest of capplan: plain C types.
 *
 * model/ is the only folder that includes GSL; planner/, reports/ and
 * kvm/ include this header and never see a gsl_ type.
 */
#ifndef MODEL_MODEL_H
#define MODEL_MODEL_H

/* Switch off GSL's abort-on-error handler; call once at start-up. */
void model_init(void);

#endif
